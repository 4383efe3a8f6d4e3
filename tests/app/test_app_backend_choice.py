"""The sidebar's answering backend through AppTest: an OpenAI-compatible endpoint typed in,
tested against the real llama.cpp server with SmolLM2 (tests/conftest.py), and restored for
the same user in the next session; a failed test names the endpoint and the reason. Ollama's
model list comes from a small fake HTTP server standing in for its /api/tags (there is no
Ollama on this machine; the chat itself is tested through llama.cpp)."""

from __future__ import annotations

import pytest

from app_helpers import app_test, no_exceptions
from helpers import fake_ollama_server, free_port

pytestmark = pytest.mark.slow


def sidebar_texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at.sidebar, kind)]


def test_an_endpoint_typed_in_is_tested_and_comes_back_next_session(corpus_store, llama_server):
    at = app_test()
    assert at.selectbox(key="backend").options == ["Extractive (no model)", "OpenAI-compatible endpoint", "Ollama"]
    at.selectbox(key="backend").select("openai").run()
    at.text_input(key="llm_base_url").input(llama_server).run()
    at.text_input(key="llm_model").input("smollm2-135m").run()
    assert any("reachable" in s for s in sidebar_texts(at, "success"))
    at.button(key="test_connection").click().run(timeout=300)
    no_exceptions(at)
    assert any(s.startswith("OpenAI-compatible endpoint answered in") for s in sidebar_texts(at, "success"))
    # a new session of the same (single) user starts with that choice
    again = app_test()
    no_exceptions(again)
    assert again.selectbox(key="backend").value == "openai"
    assert again.text_input(key="llm_base_url").value == llama_server
    assert again.text_input(key="llm_model").value == "smollm2-135m"
    # extractive and back: the endpoint typed in is kept
    again.selectbox(key="backend").select("extractive").run()
    again.selectbox(key="backend").select("openai").run()
    assert again.text_input(key="llm_base_url").value == llama_server


def test_a_failed_connection_test_names_the_endpoint_and_the_reason(corpus_store):
    url = f"http://127.0.0.1:{free_port()}/v1"
    at = app_test()
    at.selectbox(key="backend").select("openai").run()
    at.text_input(key="llm_base_url").input(url).run()
    at.button(key="test_connection").click().run()
    no_exceptions(at)
    failed = [e for e in sidebar_texts(at, "error") if e.startswith(f"OpenAI-compatible endpoint at {url} did not answer: ")]
    assert failed and "Connect" in failed[0]


def test_an_ollama_model_is_picked_from_the_servers_list_and_kept(corpus_store):
    with fake_ollama_server(["qwen2.5:0.5b", "llama3.2:latest"]) as url:
        at = app_test()
        at.selectbox(key="backend").select("ollama").run()
        at.text_input(key="ollama_url").input(url).run()
        no_exceptions(at)
        assert at.selectbox(key="ollama_model").options == ["llama3.2:latest", "qwen2.5:0.5b"]
        at.selectbox(key="ollama_model").select("qwen2.5:0.5b").run()
        again = app_test()
        assert again.selectbox(key="backend").value == "ollama"
        assert again.text_input(key="ollama_url").value == url
        assert again.selectbox(key="ollama_model").value == "qwen2.5:0.5b"
    closed = f"http://127.0.0.1:{free_port()}"
    at.text_input(key="ollama_url").input(closed).run()
    assert any(e.startswith(f"the Ollama server at {closed} did not list its models") for e in sidebar_texts(at, "error"))
