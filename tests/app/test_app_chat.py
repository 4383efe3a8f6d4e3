"""The chat page through Streamlit's AppTest, on the bundled corpus in a real store with the
real embedding model."""

from __future__ import annotations

import pytest

from app_helpers import app_test, no_exceptions
from helpers import free_port

pytestmark = pytest.mark.slow


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    no_exceptions(at)
    return at


def test_an_answer_shows_its_citations_and_the_source_panel(corpus_store):
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    assert not at.error
    answer = next(m for m in markdown(at) if "Foreign Military Financing" in m and "(#source-0-1)" in m)
    assert "\\$18 million" in answer  # escaped, so that Streamlit does not read a formula
    assert any('class="pa-marking' in m and "UNCLASSIFIED" in m for m in markdown(at))  # the banner
    # the source panel: type, marking, page and paragraph id of the cited passage...
    assert any(c.startswith("plan · UNCLASSIFIED · page 8 · paragraph 6.a") for c in captions(at))
    # ...and the quoted sentence highlighted inside its passage, with the text escaped
    passages = [m for m in markdown(at) if m.startswith('<div class="pa-passage">')]
    assert any("<mark>Zarvia&#x27;s FY2026 Foreign Military Financing allocation is &#36;18 million" in p
               for p in passages)
    assert any(e.label.startswith("Read the whole of page 8") for e in at.expander)
    assert at.button_group[0].options[:2] == ["[1]", "[2]"]
    assert at.get("download_button"), "the conversation can be downloaded"


def test_choosing_a_source_marks_it_in_the_panel(corpus_store):
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    at.button_group[0].set_value(3).run()
    no_exceptions(at)
    chosen = [m for m in markdown(at) if "selected" in m and m.startswith("**\\[")]
    assert len(chosen) == 1 and chosen[0].startswith("**\\[3\\]")


def test_a_question_the_documents_cannot_answer_is_refused_with_the_closest_passages(corpus_store):
    at = ask(app_test(), "What is the FY2031 budget for Pelora's navy?")
    refusal = [w.value for w in at.warning]
    assert refusal and "do not answer this question" in refusal[0]
    assert not any("(#source-" in m for m in markdown(at))  # no cited answer text
    assert [s.value for s in at.main.subheader][-1] == "Closest passages"
    assert any("page" in c and "paragraph" in c for c in captions(at))


def test_every_answers_markers_open_its_own_sources(corpus_store):
    """Not only the selected (latest) answer's: each answer's cards are in the source pane
    with the anchors its [n] markers link to."""
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    ask(at, "Who leads ODC Marenta?")
    turns = at.session_state["turns"]
    assert len(turns) == 2 and not any(t.answer.refused for t in turns)
    for index, turn in enumerate(turns):
        links = {f"(#source-{index}-{c.n})" for c in turn.answer.citations}
        assert any(all(link in m for link in links) for m in markdown(at)), index  # the markers...
        for citation in turn.answer.citations:  # ...and the cards they open
            assert any(f'<span id="source-{index}-{citation.n}"></span>' == m for m in markdown(at)), (index, citation.n)
    assert [c for c in captions(at) if c.startswith("For answer")][:2] == [
        "For answer 2: Who leads ODC Marenta?", "For answer 1: What is Zarvia's FY2026 FMF?"]
    assert any(c.startswith("extractive · ") and "answered by extractive" in c for c in captions(at))


def test_a_follow_up_uses_the_conversation(corpus_store):
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    ask(at, "And for FY2027?")
    assert any(c.startswith("Understood as:") and "Zarvia" in c and "FY2027" in c for c in captions(at))
    assert len(at.session_state["turns"]) == 2


def test_filters_keep_answers_to_the_chosen_document(corpus_store):
    at = app_test()
    zarvia = [d for d in at.multiselect(key="filter_docs").options if "Zarvia" in d]
    assert zarvia
    at.multiselect(key="filter_docs").select(zarvia[0]).run()
    ask(at, "What is the FY2026 FMF?")
    sources = [c for c in captions(at) if " · page " in c]
    assert sources and all(c.endswith("cscp\\_zarvia\\_fy2026\\-2028.pdf") for c in sources)


def test_sessions_do_not_share_conversations(corpus_store):
    first = ask(app_test(), "Who leads ODC Marenta?")
    second = app_test()
    assert len(first.session_state["turns"]) == 1
    assert "turns" not in second.session_state or not second.session_state["turns"]


def test_an_empty_store_gets_one_clear_message(tmp_path):
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    assert [e.value for e in at.error] == ["Answering: the store is empty: add documents on the Documents page first"]


def test_an_unreachable_llm_endpoint_gets_one_clear_message(corpus_store, monkeypatch):
    monkeypatch.setenv("PLANASSIST_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    at = app_test()
    assert at.selectbox(key="backend").options == ["Extractive (no model)", "OpenAI-compatible endpoint", "Ollama"]
    at.selectbox(key="backend").select("openai").run()
    assert any("unreachable" in e.value for e in at.error)  # the status in the sidebar
    ask(at, "What is Zarvia's FY2026 FMF?")
    messages = [e.value for e in at.error if e.value.startswith("Answering")]
    assert len(messages) == 1 and "the LLM endpoint did not answer" in messages[0]
