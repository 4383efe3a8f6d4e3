"""What retrieval hands to answerers: passages with their metadata and scores, and the
filters a user can set."""

from __future__ import annotations

import re
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
    def identity(self) -> str:
        """The names the passage's document goes by (its number and short names, stored at
        ingest as doc_identity, and those its file name gives): a question that names the
        document ("Per 5132.03, ...") is about every passage of it, though few repeat them."""
        return names_from_file(self.source) + ("; " + self.metadata["doc_identity"]
                                                if self.metadata.get("doc_identity") else "")

    @property
    def marking(self) -> str | None:
        return self.metadata.get("marking") or None

    def page_at(self, offset: int) -> int:
        return page_at_offset(self.metadata.get("page_offsets", ""), int(self.metadata.get("page_start", 1)), offset)


# An issuance is cited by the abbreviation of its kind and its number ("DoDI 5132.03" for
# "DoD Instruction 5132.03"); file names spell the kind out, questions abbreviate it.
_ISSUANCE_KINDS = {"directive": "DoDD", "instruction": "DoDI", "manual": "DoDM"}
_DOCUMENT_NUMBER = re.compile(r"(?<![\w.])(\d{1,5}(?:\.\d{1,3})+[A-Z]?(?:-[A-Z])?|\d{2}-\d{2,3})(?![\w])")


def names_from_file(source: str) -> str:
    """'DoD_Directive_4500.9E.pdf' -> 'DoD Directive 4500.9E; 4500.9E; DoDD 4500.9E'."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source or "").replace("_", " ").strip()
    if not stem:
        return ""
    names = [stem]
    numbers = _DOCUMENT_NUMBER.findall(stem)
    names += numbers
    for word, abbreviation in _ISSUANCE_KINDS.items():
        if re.search(rf"\b{word}\b", stem, re.I):
            names += [f"{abbreviation} {n}" for n in numbers]
    return "; ".join(dict.fromkeys(names))


def document_numbers(identity: str) -> str:
    """Only the numbers among a document's names ('5132.03', '04-29'): they count as the
    passage's own figures when a question names the document by number, where a year in a
    title ('FY2026-2028') must not pass for a sentence's year."""
    return " ".join(dict.fromkeys(_DOCUMENT_NUMBER.findall(identity)))


def comes_from(number: str, passage: "Passage") -> bool:
    """Whether the passage's document is the one numbered so ('5100.76' is DoDM 5100.76-M's
    number too), by its own names, not by the references it cites."""
    return any(own == number or (own.startswith(number) and not own[len(number)].isalnum())
               for own in document_numbers(passage.identity).split())

