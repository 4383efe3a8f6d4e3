"""Hybrid retrieval: dense search in Chroma and keyword search in the FTS5 index over the
documents that are visible and allowed by the filters, fused by score.

Fusion, measured on the gold questions (paragraph-level hit@1 / @5 / @10; evals/suites):
                                   corpus (90)             SAMM (36)
  RRF 1:1 (k=60), 40 candidates    0.478 / 0.889 / 0.944   0.694 / 0.833 / 0.972
  cosine + 0.2 x bm25/best, 100    0.500 / 0.889 / 0.956   0.694 / 0.861 / 0.972
  cosine + 0.3 x bm25/best, 100    0.511 / 0.911 / 0.967   0.611 / 0.861 / 0.972  <- chosen
  cosine + 0.4 x bm25/best, 100    0.522 / 0.889 / 0.967   0.611 / 0.917 / 0.972
Rank fusion halves a passage that one search missed; with a cosine for every candidate
(keyword-only hits get theirs from their stored vectors) a score blend does not. Keyword
search carries the planners' exact tokens (case ids, paragraph numbers, FY2027); dense
search the paraphrases.
"""

from __future__ import annotations

import re
import time
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.acronyms import Glossary
from assistant.passages import Filters, Passage
from assistant.terms import STOPWORDS, QUESTION_WORDS, tokens

CANDIDATES = 100  # from each search; the union is scored (40: paragraph hit@10 0.944 -> 0.967 at 100)
KEYWORD_SHARE = 0.3


def fused_score(similarity: float | None, keyword_score: float | None, best_keyword: float) -> float:
    """Cosine similarity plus the bm25 score as a share of this question's best bm25 score.
    Every candidate has a similarity (keyword-only hits get theirs from their stored
    vectors), so unlike rank fusion a passage one search missed is not halved."""
    return (similarity or 0.0) + KEYWORD_SHARE * max(0.0, keyword_score or 0.0) / best_keyword


def keyword_query(question: str, expansions: list[str]) -> str:
    """An FTS5 MATCH expression: any of the question's content words, or the expansions
    as phrases. bm25 then ranks passages holding the rarer words first."""
    words = []
    for token in tokens(question):
        lower = token.lower().strip("$")
        if lower in STOPWORDS or lower in QUESTION_WORDS or len(lower) < 2:
            continue
        for part in re.split(r"[^a-z0-9]+", lower):
            if part and part not in STOPWORDS and (len(part) > 1 or part.isdigit()):  # "Zarvia's" -> zarvia
                words.append(f'"{part}"')
    for phrase in expansions:
        parts = [p for p in re.split(r"[^a-z0-9]+", phrase.lower()) if p]
        if parts:
            words.append('"' + " ".join(parts) + '"')
    return " OR ".join(dict.fromkeys(words))


class HybridSearch:
    """The search itself, shared by the LangChain retriever, the answerers and the evaluation."""

    def __init__(self, store, embedder):
        self.store = store
        self.embedder = embedder
        self._glossary: Glossary | None = None
        self._glossary_version = None

    @property
    def glossary(self) -> Glossary:
        version = self.store.keywords.chunk_count()
        if self._glossary is None or version != self._glossary_version:
            self._glossary = Glossary.from_store(self.store)
            self._glossary_version = version
        return self._glossary

    def visible_doc_ids(self, filters: Filters) -> list[str]:
        docs = self.store.documents()
        allowed = []
        for doc in docs:
            if filters.doc_ids and doc.doc_id not in filters.doc_ids:
                continue
            if filters.doc_types and doc.doc_type not in filters.doc_types:
                continue
            if filters.markings and (doc.marking or "") not in filters.markings:
                continue
            if filters.access is not None and not filters.access.allowed(doc.marking):
                continue  # need-to-know: never scored, so never answered from or cited
            allowed.append(doc.doc_id)
        return allowed

    def search(self, question: str, k: int = 8, filters: Filters | None = None,
               timings: dict | None = None) -> list[Passage]:
        filters = filters or Filters()
        started = time.perf_counter()
        doc_ids = self.visible_doc_ids(filters)
        if not doc_ids:
            return []
        expansions = self.glossary.expansions(question)
        query_text = f"{question} ({'; '.join(expansions)})" if expansions else question
        vector = self.embedder.embed_query(query_text)
        where = {"doc_id": {"$in": doc_ids}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        dense = self.store.collection.query(query_embeddings=[vector], n_results=CANDIDATES, where=where,
                                            include=["documents", "metadatas", "distances"])
        passages: dict[str, Passage] = {}
        for rank, (chunk_id, text, metadata, distance) in enumerate(zip(
                dense["ids"][0], dense["documents"][0], dense["metadatas"][0], dense["distances"][0])):
            passages[chunk_id] = Passage(chunk_id, text or "", metadata or {}, dense_score=1 - distance, dense_rank=rank)
        match = keyword_query(question, expansions)
        hits = self.store.keywords.search(match, CANDIDATES, doc_ids=doc_ids) if match else []
        missing = [chunk_id for chunk_id, _ in hits if chunk_id not in passages]
        for chunk_id, (text, metadata, dense_score) in self._with_similarity(missing, vector).items():
            passages[chunk_id] = Passage(chunk_id, text or "", metadata or {}, dense_score=dense_score)
        for rank, (chunk_id, score) in enumerate(hits):
            if chunk_id in passages:
                passages[chunk_id].keyword_score = score
                passages[chunk_id].keyword_rank = rank
        best_keyword = max((score for _, score in hits), default=0.0) or 1.0
        for passage in passages.values():
            passage.score = fused_score(passage.dense_score, passage.keyword_score, best_keyword)
            passage.extras["query"] = query_text
        ranked = sorted(passages.values(), key=lambda p: -p.score)[:k]
        if timings is not None:
            timings["retrieve"] = (time.perf_counter() - started) * 1000
        return ranked


    def _with_similarity(self, chunk_ids: list[str], vector) -> dict[str, tuple[str, dict, float]]:
        """Passages only the keyword search found, with their similarity to the question
        computed from their stored vectors: the answerer weighs every passage by its
        closeness in meaning, and a keyword-only hit would otherwise have none."""
        if not chunk_ids:
            return {}
        import numpy as np

        got = self.store.collection.get(ids=list(chunk_ids), include=["documents", "metadatas", "embeddings"])
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        found = {}
        for chunk_id, text, metadata, embedding in zip(got["ids"], got["documents"], got["metadatas"],
                                                       got["embeddings"]):
            embedding = np.asarray(embedding, dtype=np.float32)
            found[chunk_id] = (text, metadata, float(embedding @ query / (np.linalg.norm(embedding) or 1.0)))
        return found


class HybridRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever, so it composes with chains."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    search: Any
    k: int = 8
    filters: Filters = Filters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.text, id=p.chunk_id,
                         metadata={**p.metadata, "chunk_id": p.chunk_id, "score": p.score})
                for p in self.search.search(query, self.k, self.filters)]
