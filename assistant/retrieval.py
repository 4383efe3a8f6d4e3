"""Hybrid retrieval: dense search in Chroma and keyword search in the FTS5 index, fused by
reciprocal rank, over the documents that are visible and allowed by the filters.

Fusion, measured on the 90 answerable gold questions of evals/suites/corpus.jsonl
(paragraph-level hit@1 / @5 / @8 / @20):
  dense only          0.500 / 0.756 / 0.844 / 0.922
  keyword only (bm25) 0.444 / 0.878 / 0.922 / 0.967
  RRF 1:1 (k=60)      0.489 / 0.889 / 0.911 / 0.978   <- chosen
  RRF dense 1 : kw .5 0.511 / 0.867 / 0.911 / 0.944
  RRF dense .5 : kw 1 0.467 / 0.889 / 0.900 / 0.956
RRF's k barely mattered (10, 30, 60, 100 within 0.02 at @5). Keyword search carries the
planners' exact tokens (case ids, paragraph numbers, FY2027); dense search the paraphrases.
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

RRF_K = 60
DENSE_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
CANDIDATES = 40


def rrf_score(dense_rank: int | None, keyword_rank: int | None) -> float:
    """Reciprocal rank fusion of a passage's 0-based ranks (None: not found by that search)."""
    return sum(weight / (RRF_K + rank + 1) for weight, rank in ((DENSE_WEIGHT, dense_rank),
                                                                 (KEYWORD_WEIGHT, keyword_rank)) if rank is not None)


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
        for chunk_id, (text, metadata) in self.store.get_chunks(missing).items():
            passages[chunk_id] = Passage(chunk_id, text or "", metadata or {})
        for rank, (chunk_id, score) in enumerate(hits):
            if chunk_id in passages:
                passages[chunk_id].keyword_score = score
                passages[chunk_id].keyword_rank = rank
        for passage in passages.values():
            passage.score = rrf_score(passage.dense_rank, passage.keyword_rank)
            passage.extras["query"] = query_text
        ranked = sorted(passages.values(), key=lambda p: -p.score)[:k]
        if timings is not None:
            timings["retrieve"] = (time.perf_counter() - started) * 1000
        return ranked


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
