"""Sentence vectors made at ingest from the chunk's own forward pass (ingest/sentence_vectors.py):
a real store, the real model. Each stored vector stands for its own sentence, and an answer
over such a store embeds the question, not the passages' sentences."""

from __future__ import annotations

import numpy as np

from helpers import CORPUS
from ingest.pipeline import ingest_paths
from ingest.sentence_vectors import unpacked


class CountingEmbedder:
    """The real embedder, recording what is embedded alone at answer time."""

    def __init__(self, inner):
        self.inner, self.texts = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts):
        self.texts += list(texts)
        return self.inner.encode(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_each_sentence_of_a_chunk_has_a_vector_that_stands_for_it(store, embedder):
    report = ingest_paths([CORPUS / "cscp_zarvia_fy2026-2028.pdf"], store, embedder)
    assert not report.failed, report.outcomes
    got = store.collection.get(include=["documents", "metadatas"])
    own, spans_seen, with_vectors = [], 0, 0
    for text, metadata in zip(got["documents"], got["metadatas"]):
        pooled = unpacked(metadata)
        spans_seen += 1
        with_vectors += bool(pooled)
        if len(pooled) < 2:
            continue
        sentences = [text[s:e] for s, e in pooled]
        alone = embedder.encode(sentences)
        similarity = np.stack(list(pooled.values())) @ alone.T
        own += list(similarity.argmax(axis=1) == np.arange(len(sentences)))
    assert with_vectors == spans_seen  # every chunk of this plan fits the model's 256 tokens
    # pooled in its paragraph, a sentence's vector is still nearest to that sentence alone
    # (measured 0.81 of 226; chance, with about five sentences a chunk, is near 0.2)
    assert len(own) > 20 and np.mean(own) >= 0.7, np.mean(own)


def test_an_answer_over_such_a_store_embeds_the_question_not_the_sentences(store, embedder):
    from assistant.core.engine import Assistant

    ingest_paths([CORPUS / "cscp_zarvia_fy2026-2028.pdf"], store, embedder)
    counting = CountingEmbedder(embedder)
    answer = Assistant(store, counting).ask("What is Zarvia's FY2026 FMF?")
    assert not answer.refused and "$18 million" in answer.answer
    assert counting.texts == ["What is Zarvia's FY2026 FMF?"], counting.texts
