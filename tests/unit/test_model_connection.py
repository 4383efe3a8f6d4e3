"""Talking to a model server from the sidebar: the connection test and Ollama's model list.
No model server runs here for these unit tests: a closed port for failures, and a small fake
HTTP server standing in for Ollama's /api/tags (there is no Ollama on this machine; the real
OpenAI-compatible path is tested against llama.cpp in tests/app/test_app_backend_choice.py)."""

import pytest

from assistant.config import Settings
from assistant.core.llm import check_connection, ollama_models
from ingest.errors import UserError
from helpers import fake_ollama_server, free_port


def test_a_failed_connection_test_names_the_endpoint_and_the_reason():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(UserError) as caught:
        check_connection("openai", Settings(llm_base_url=url, llm_model="m"), timeout=5)
    message = str(caught.value)
    assert message.startswith(f"OpenAI-compatible endpoint at {url} did not answer: ")
    assert "Connect" in message  # the reason (a refused connection), not only the client's summary


@pytest.fixture
def fake_ollama():
    with fake_ollama_server(["qwen2.5:0.5b", "llama3.2:latest"]) as url:
        yield url


def test_the_ollama_model_list_comes_from_the_servers_tags(fake_ollama):
    assert ollama_models(fake_ollama) == ["llama3.2:latest", "qwen2.5:0.5b"]


def test_an_unreachable_ollama_server_is_named_with_the_reason():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(UserError, match=f"the Ollama server at {url} did not list its models: .*Connect"):
        ollama_models(url, timeout=3)
