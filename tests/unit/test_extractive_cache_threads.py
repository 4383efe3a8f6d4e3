"""The extractive answerer is shared by every session of the app: its sentence-vector cache
must give each caller the vectors of its own sentences while other threads fill and evict."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from assistant.core import extractive
from assistant.core.extractive import ExtractiveAnswerer


class CountingEmbedder:
    """A vector that encodes the text itself, so a wrong vector is detected."""

    def encode(self, texts):
        return np.array([[float(len(t)), float(sum(map(ord, t)) % 9973)] for t in texts], dtype=np.float32)


def expected(texts):
    return CountingEmbedder().encode(texts)


def test_concurrent_callers_get_their_own_vectors_under_eviction(monkeypatch):
    monkeypatch.setattr(extractive, "SENTENCE_CACHE", 20)  # constant eviction
    answerer = ExtractiveAnswerer(CountingEmbedder())

    def work(worker: int):
        for round_ in range(200):
            texts = [f"sentence {worker} {round_} {i}" for i in range(12)] + [f"shared {i}" for i in range(12)]
            assert np.array_equal(answerer._sentence_vectors(texts), expected(texts))
        return True

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(work, range(8)))
    assert len(answerer._cache) <= 20


def test_a_call_larger_than_the_cache_still_gets_every_vector(monkeypatch):
    monkeypatch.setattr(extractive, "SENTENCE_CACHE", 5)
    answerer = ExtractiveAnswerer(CountingEmbedder())
    first = [f"old {i}" for i in range(5)]
    answerer._sentence_vectors(first)
    texts = first + [f"new {i}" for i in range(10)]  # its own insertions evict its cached sentences
    assert np.array_equal(answerer._sentence_vectors(texts), expected(texts))
