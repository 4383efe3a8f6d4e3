"""Several sessions asking at once share one embedder, store and assistant (st.cache_resource):
answers given concurrently must be the ones given one at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.slow

QUESTIONS = ["What is Zarvia's FY2026 FMF?", "Who leads ODC Marenta?",
             "What is the FY2031 budget for Pelora's navy?", "When is Coral Shield 25 planned?",
             "What does IMO 2.2 require?", "How much notice does Congress need?"]


def test_concurrent_questions_get_the_answers_they_get_alone(corpus_store):
    from assistant.frontends.ui.resources import get_assistant

    assistant = get_assistant("extractive")
    assert get_assistant("extractive") is assistant  # one per process

    def answer(question):
        result = assistant.ask(question)
        return result.answer, [(c.chunk_id, c.quote) for c in result.citations], result.refused

    alone = {q: answer(q) for q in QUESTIONS}
    assistant.answerer.extractor._cache.clear()  # make the threads fill the shared cache together
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(answer, QUESTIONS * 3))
    assert together == [alone[q] for q in QUESTIONS * 3]
    assert alone["What is the FY2031 budget for Pelora's navy?"][2]  # the refusal stays a refusal
