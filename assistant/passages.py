"""What retrieval hands to answerers: passages with their metadata and scores, and the
filters a user can set."""

from __future__ import annotations

from dataclasses import dataclass, field
from ingest.records import page_at_offset


@dataclass(frozen=True)
class Filters:
    doc_types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    markings: tuple[str, ...] = ()  # allowed markings; empty: all

    def chroma_where(self) -> dict | None:
        clauses = []
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.markings:
            clauses.append({"marking": {"$in": list(self.markings)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class Passage:
    chunk_id: str
    text: str
    metadata: dict
    score: float = 0.0  # fused score, larger is better
    dense_score: float | None = None  # cosine similarity
    keyword_score: float | None = None  # bm25 (negated, larger is better)
    dense_rank: int | None = None
    keyword_rank: int | None = None
    extras: dict = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.metadata.get("doc_id", "")

    @property
    def title(self) -> str:
        return self.metadata.get("title", "")

    @property
    def source(self) -> str:
        return self.metadata.get("source", "")

    @property
    def section(self) -> str:
        return self.metadata.get("section", "")

    @property
    def heading_path(self) -> str:
        return self.metadata.get("heading_path", "")

    @property
    def marking(self) -> str | None:
        return self.metadata.get("marking") or None

    def page_at(self, offset: int) -> int:
        return page_at_offset(self.metadata.get("page_offsets", ""), int(self.metadata.get("page_start", 1)), offset)
