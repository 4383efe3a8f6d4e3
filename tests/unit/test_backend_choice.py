"""The sidebar's backend choice, saved per user under the store and read back."""

import json

import pytest

from assistant.config import Settings
from assistant.frontends.ui.backend_choice import BackendChoice, choice_file, load_choice, save_choice
from ingest.errors import UserError


def test_each_user_gets_back_the_choice_they_saved(tmp_path):
    llama = BackendChoice("openai", base_url="http://127.0.0.1:8080/v1", model="smollm2")
    ollama = BackendChoice("ollama", ollama_url="http://10.0.0.5:11434", ollama_model="llama3.2:latest")
    save_choice(tmp_path, "ana", llama)
    save_choice(tmp_path, "bo", ollama)
    default = BackendChoice()
    assert load_choice(tmp_path, "ana", default) == llama
    assert load_choice(tmp_path, "bo", default) == ollama
    assert load_choice(tmp_path, "cy", default) is default  # nothing saved yet
    save_choice(tmp_path, None, llama)  # the single-user default is one user
    assert load_choice(tmp_path, None, default) == llama
    assert choice_file(tmp_path, None).parent == tmp_path / "user-settings"
    assert choice_file(tmp_path, "a/b") != choice_file(tmp_path, "a_b")  # names that read alike stay apart


def test_a_damaged_file_gets_one_message_naming_it(tmp_path):
    path = choice_file(tmp_path, "ana")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(UserError, match="user-settings.*cannot be read"):
        load_choice(tmp_path, "ana", BackendChoice())
    path.write_text(json.dumps({"backend": "gpt-9"}))
    with pytest.raises(UserError, match="unknown backend 'gpt-9'"):
        load_choice(tmp_path, "ana", BackendChoice())
    path.write_text(json.dumps({"backend": "openai", "api_key": "sk-1"}))
    with pytest.raises(UserError, match="not a JSON object of"):
        load_choice(tmp_path, "ana", BackendChoice())


def test_the_choice_becomes_the_settings_the_factories_read():
    base = Settings(llm_api_key="sk-env")
    chosen = BackendChoice("ollama", base_url="http://x/v1", model="m1", ollama_url="http://o:11434",
                           ollama_model="qwen").applied_to(base)
    assert (chosen.backend, chosen.llm_model, chosen.ollama_url, chosen.llm_api_key) == \
        ("ollama", "qwen", "http://o:11434", "sk-env")
    # only the fields a backend uses decide which answerer serves it
    assert BackendChoice("extractive", base_url="http://x/v1").key == BackendChoice().key
    assert BackendChoice("openai", base_url="http://x/v1", ollama_model="q").key == \
        BackendChoice("openai", base_url="http://x/v1").key
    from_env = BackendChoice.from_settings(Settings(backend="ollama", llm_model="qwen"))
    assert from_env.ollama_model == "qwen" and from_env.model == ""
