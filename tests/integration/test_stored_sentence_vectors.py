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


def test_ingest_again_gives_a_store_made_before_them_its_sentence_vectors(store, embedder):
    """A store written by an earlier version has chunks without sentence vectors; the next
    ingest of the same files adds them (metadata only: the chunk vectors stay as they were),
    and they are the ones a fresh ingest makes."""
    from ingest.sentence_vectors import KEYS

    path = CORPUS / "cscp_zarvia_fy2026-2028.pdf"
    ingest_paths([path], store, embedder)
    fresh = store.collection.get(include=["metadatas", "embeddings"])
    ids = fresh["ids"]
    store.collection.update(ids=ids, metadatas=[{k: None for k in KEYS}] * len(ids))  # as an old store
    assert not any(unpacked(m) for m in store.collection.get(ids=ids, include=["metadatas"])["metadatas"])

    report = ingest_paths([path], store, embedder)
    assert report.counts()["unchanged"] == 1 and "sentence vectors added" in report.outcomes[0].detail
    again = store.collection.get(ids=ids, include=["metadatas", "embeddings"])
    assert np.array_equal(np.asarray(again["embeddings"]), np.asarray(fresh["embeddings"]))
    for before, after in zip(fresh["metadatas"], again["metadatas"]):
        made, added = unpacked(before), unpacked(after)
        assert list(made) == list(added)
        assert all(float(made[s] @ added[s]) > 0.99 for s in made)  # batched apart: int8 per batch
    assert "sentence vectors added" not in ingest_paths([path], store, embedder).outcomes[0].detail
