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

Then the paragraphs that the best passages name ("recorded as a gap in paragraph 4.e") follow
them (assistant/core/cross_references.py): corpus paragraph hit@5 0.911 -> 0.933, paragraph cited
0.900 -> 0.911, SAMM unchanged.
"""

from __future__ import annotations

import re
import time
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.core.acronyms import Glossary
from assistant.core.cross_references import follow
from assistant.core.passages import Filters, Passage
from assistant.core.terms import STOPWORDS, QUESTION_WORDS, tokens
from ingest.chunking import doc_id_of
from ingest.reader import reader_of
from ingest.sentence_vectors import without_vectors

CANDIDATES = 100  # from each search; the union is scored (40: SAMM paragraph hit@5 0.861 -> 0.833, gold cited 0.900 -> 0.889)
KEYWORD_SHARE = 0.3
# A word in more than this share of the chunks is left out of the keyword query. FTS5's bm25
# gives a word in over half the rows an idf of 1e-6, so it ranks nothing, but the query still
# walks its doclist and scores every row holding it ("security", "dsca" and "policy" are in
# 58-64% of the 318-file library's chunks): 17 ms of a 46 ms search.
COMMON_WORD_SHARE = 0.5
# Chroma's HNSW search is approximate: of the keyword-only hits over the four suites' stores,
# 0.5-1% were closer to the question than the farthest chunk dense search returned, by up to
# 0.2 (p90 0.06). With this slack on that bound, the 10 passages found were the same for all
# 389 suite questions as with every hit's similarity read (HybridSearch._may_rank).
DENSE_SLACK = 0.1


def fused_score(similarity: float | None, keyword_score: float | None, best_keyword: float) -> float:
    """Cosine similarity plus the bm25 score as a share of this question's best bm25 score.
    Every candidate has a similarity (keyword-only hits get theirs from their stored
    vectors), so unlike rank fusion a passage one search missed is not halved."""
    return (similarity or 0.0) + KEYWORD_SHARE * max(0.0, keyword_score or 0.0) / best_keyword


def keyword_terms(question: str, expansions: list[str]) -> list[str]:
    """FTS5 terms, any of which a passage may hold: the question's content words, and the
    expansions as phrases. bm25 then ranks passages holding the rarer words first."""
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
    return list(dict.fromkeys(words))


def selective_terms(shares: dict[str, float]) -> list[str]:
    """The terms worth searching for, from each term's share of the chunks holding it: the
    common ones are dropped (COMMON_WORD_SHARE), unless every term is common, when the
    rarest stays so that keyword search still runs."""
    kept = [term for term, share in shares.items() if share <= COMMON_WORD_SHARE]
    return kept or sorted(shares, key=shares.get)[:1]


class HybridSearch:
    """The search itself, shared by the LangChain retriever, the answerers and the evaluation."""

    def __init__(self, store, embedder):
        self.store = reader_of(store)  # a StoreReader, usually already visible_to(a profile)
        self.embedder = embedder
        self._glossary: Glossary | None = None
        self._sections: set[tuple[str, str]] = set()
        self._version = None

    def _refresh(self) -> None:
        """Reload what is read from the whole store once (the glossary, the paragraphs that
        exist) when its contents changed."""
        version = self.store.version()
        if self._glossary is None or version != self._version:
            self._glossary = Glossary.from_store(self.store)  # the visible documents' own
            self._sections = self.store.sections()
            self._version = version

    @property
    def glossary(self) -> Glossary:
        self._refresh()
        return self._glossary

    @property
    def sections(self) -> set[tuple[str, str]]:
        self._refresh()
        return self._sections

    def visible_doc_ids(self, filters: Filters, docs=None) -> list[str]:
        docs = self.store.documents() if docs is None else docs
        allowed = []
        for doc in docs:
            if filters.doc_ids and doc.doc_id not in filters.doc_ids:
                continue
            if filters.doc_types and doc.doc_type not in filters.doc_types:
                continue
            if filters.markings and (doc.marking or "") not in filters.markings:
                continue
            allowed.append(doc.doc_id)
        return allowed

    def search(self, question: str, k: int = 8, filters: Filters | None = None,
               timings: dict | None = None) -> list[Passage]:
        """The k best passages. Candidates are scored on ids and scores alone; text and
        metadata are fetched for the k kept only. Measured on corpus + SAMM (2,344 chunks):
        a 100-result Chroma query takes 14 ms with a document filter and texts, 1.3 ms
        without, so the filter goes to Chroma only when it excludes a document, and dense
        hits are otherwise checked against the visible documents by their id."""
        filters = filters or Filters()
        started = time.perf_counter()
        docs = self.store.documents()  # the reader's visible documents: need-to-know is already applied
        doc_ids = self.visible_doc_ids(filters, docs)
        if not doc_ids:
            return []
        visible = set(doc_ids)
        restricted = len(doc_ids) < len(docs)
        self._refresh()  # once per search: the glossary and the paragraph list share it
        expansions = self._glossary.expansions(question)
        query_text = f"{question} ({'; '.join(expansions)})" if expansions else question
        vector = self.embedder.embed_query(query_text)
        dense = self.store.dense_search(vector, CANDIDATES, doc_ids if restricted else None)
        candidates: dict[str, Passage] = {}
        for chunk_id, distance in dense:
            if doc_id_of(chunk_id) in visible:  # not a document being written, nor one filtered out
                candidates[chunk_id] = Passage(chunk_id, "", {}, dense_score=1 - distance, dense_rank=len(candidates))
        terms = keyword_terms(question, expansions)
        if terms:
            terms = selective_terms(self.store.term_shares(terms))
        hits = self.store.keyword_search(" OR ".join(terms), CANDIDATES, doc_ids if restricted else None) if terms else []
        hits = [(chunk_id, score) for chunk_id, score in hits if doc_id_of(chunk_id) in visible]
        best_keyword = max((score for _, score in hits), default=0.0) or 1.0
        for rank, (chunk_id, score) in enumerate(hits):
            if chunk_id in candidates:
                candidates[chunk_id].keyword_score, candidates[chunk_id].keyword_rank = score, rank
        for passage in candidates.values():
            passage.score = fused_score(passage.dense_score, passage.keyword_score, best_keyword)
        missing = self._may_rank(hits, candidates, dense, k, best_keyword)
        similarities = self._similarities(list(missing), vector)
        for rank, (chunk_id, score) in enumerate(hits):
            if chunk_id in similarities:
                candidates[chunk_id] = Passage(chunk_id, "", {}, dense_score=similarities[chunk_id], keyword_score=score,
                                               keyword_rank=rank,
                                               score=fused_score(similarities[chunk_id], score, best_keyword))
        ranked = sorted(candidates.values(), key=lambda p: -p.score)[:k]
        stored = self.store.chunks([p.chunk_id for p in ranked])
        kept = []
        for passage in ranked:
            if passage.chunk_id in stored:  # gone if its document was replaced a moment ago
                passage.text, passage.metadata = stored[passage.chunk_id][0] or "", stored[passage.chunk_id][1] or {}
                kept.append(passage)
        kept = follow(self.store, kept, lambda ids: self._similarities(ids, vector), self._sections)
        for passage in kept:
            passage.extras["query"] = query_text
        if timings is not None:
            timings["retrieve"] = (time.perf_counter() - started) * 1000
        return kept

    @staticmethod
    def _may_rank(hits, candidates: dict[str, Passage], dense, k: int, best_keyword: float) -> dict[str, float]:
        """The keyword-only hits (chunk id -> bm25) that could still make the k best. Dense
        search returned the nearest chunks, so a chunk it did not return is no closer than
        the farthest it did (give or take DENSE_SLACK): that similarity plus the hit's keyword
        share bounds its score. Reading every keyword-only hit's vector took 6 ms of a 46 ms
        search over the library (67 hits a question; 35 are read now). When dense search
        returned fewer than it was asked for there is no bound, and every hit is read."""
        missing = {chunk_id: score for chunk_id, score in hits if chunk_id not in candidates}
        if len(dense) < CANDIDATES or len(candidates) < k:
            return missing
        farthest = min(1 - distance for _, distance in dense) + DENSE_SLACK
        kth = sorted((p.score for p in candidates.values()), reverse=True)[k - 1]
        return {chunk_id: score for chunk_id, score in missing.items()
                if fused_score(farthest, score, best_keyword) >= kth}

    def _similarities(self, chunk_ids: list[str], vector) -> dict[str, float]:
        """The similarity to the question of passages dense search did not rank (keyword-only
        hits, paragraphs reached by a cross-reference), from their stored vectors: the
        answerer weighs every passage by its closeness in meaning."""
        if not chunk_ids:
            return {}
        import numpy as np

        got = self.store.embeddings(list(chunk_ids))
        if not got:
            return {}
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        vectors = np.asarray(list(got.values()), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        return dict(zip(got, (vectors @ query / norms).tolist()))


class HybridRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever, so it composes with chains (LCEL). Made
    with for_profile(), it reads through StoreReader.visible_to(profile): a chain built on it
    never sees a document above that profile."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    search: Any
    k: int = 8
    filters: Filters = Filters()

    @classmethod
    def for_profile(cls, store, embedder, profile, k: int = 8, filters: Filters | None = None) -> "HybridRetriever":
        """`store`: a Store or a StoreReader; `profile`: a UserProfile (None: no limit)."""
        return cls(search=HybridSearch(reader_of(store).visible_to(profile), embedder), k=k,
                   filters=filters or Filters())

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.text, id=p.chunk_id,
                         metadata={**without_vectors(p.metadata), "chunk_id": p.chunk_id, "score": p.score})
                for p in self.search.search(query, self.k, self.filters)]
