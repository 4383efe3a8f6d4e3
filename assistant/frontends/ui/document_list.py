"""The Documents page's list at library size (hundreds of documents): search by title or file,
filters by type and marking, a sort order and pages, as plain functions over the document
rows the page already scoped to the user (the store reader's visible_to(profile).documents()).
No Streamlit here, so the rules are unit-tested without a page.

The sort and the pages are done here, not by clicking a column header: st.dataframe sorts
only the rows it was given, which with pages would be one page out of order with the rest."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

# (label, key on a DocumentRow, descending first): the orders a planner asks for.
SORTS = {
    "Title": (lambda d: d.title.casefold(), False),
    "File": (lambda d: d.source.casefold(), False),
    "Type": (lambda d: (d.doc_type, d.title.casefold()), False),
    "Marking": (lambda d: ((d.marking or "").casefold(), d.title.casefold()), False),
    "Pages": (lambda d: d.pages, True),
    "Chunks": (lambda d: d.chunks, True),
    "Ingested": (lambda d: d.ingested_at, True),
}
PAGE_SIZES = (25, 50, 100)
UNMARKED = "(unmarked)"


def marking_label(marking: str | None) -> str:
    return marking or UNMARKED


def matches(document, query: str) -> bool:
    """Every word of the query appears in the title or the file name (any case)."""
    haystack = f"{document.title} {document.source}".casefold()
    return all(word in haystack for word in query.casefold().split())


def filtered(documents: list, query: str = "", doc_types=(), markings=()) -> list:
    """The documents that match the search and the chosen types and markings (none chosen:
    all of them). `markings` holds marking_label() values, so unmarked ones can be picked."""
    return [d for d in documents
            if (not query.strip() or matches(d, query))
            and (not doc_types or d.doc_type in doc_types)
            and (not markings or marking_label(d.marking) in markings)]


def sorted_documents(documents: list, sort: str = "Title", descending: bool | None = None) -> list:
    """Sorted by one of SORTS; `descending` None takes the order that column usually wants
    (newest, largest first; names A to Z)."""
    key, default_descending = SORTS[sort]
    return sorted(documents, key=key, reverse=default_descending if descending is None else descending)


@dataclass(frozen=True)
class PageOf:
    rows: list
    number: int  # 1-based, clamped to the pages there are
    pages: int
    first: int  # 1-based position of the first row shown (0 when there is none)
    last: int
    total: int

    @property
    def caption(self) -> str:
        if not self.total:
            return "No document matches."
        return f"Showing {self.first}–{self.last} of {self.total} (page {self.number} of {self.pages})"


def page_of(rows: list, number: int, size: int) -> PageOf:
    pages = max(1, math.ceil(len(rows) / size))
    number = min(max(1, int(number)), pages)
    start = (number - 1) * size
    shown = rows[start:start + size]
    return PageOf(shown, number, pages, start + 1 if shown else 0, start + len(shown), len(rows))


def ingested_time(iso: str) -> dt.datetime | None:
    """The stored ISO stamp as an aware datetime (None when it cannot be read), for a
    datetime column that the browser shows as "3 hours ago"."""
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def table_rows(documents: list) -> list[dict]:
    """One row per document, in the page's column order."""
    return [{"title": d.title, "file": d.source, "type": d.doc_type, "marking": d.marking or "",
             "pages": d.pages, "chunks": d.chunks, "ingested at": ingested_time(d.ingested_at)}
            for d in documents]
