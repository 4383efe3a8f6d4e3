"""The Documents page's list rules at library size: search, filters, sort, pages, times."""

from __future__ import annotations

import datetime as dt

from assistant.frontends.ui import document_list
from ingest.keyword_index import DocumentRow


def row(n: int, title: str, source: str, doc_type="policy", marking=None, pages=1, day=1) -> DocumentRow:
    return DocumentRow(doc_id=f"{n:064x}", path=f"/docs/{source}", source=source, title=title, doc_type=doc_type,
                       marking=marking, pages=pages, chunks=pages * 2,
                       ingested_at=f"2026-11-{day:02d}T14:05:00+00:00")


LIBRARY = [row(1, "Security Cooperation Organization Manual", "manual_5132.pdf", "guidance", "UNCLASSIFIED", 90, 3),
           row(2, "DSCA Policy Memo 19-33", "DSCA_19-33.pdf", "policy", None, 4, 9),
           row(3, "Joint Fire Support", "jp3-09.3.pdf", "doctrine", "CUI", 200, 5),
           row(4, "dsca policy memo 20-01", "DSCA_20-01.pdf", "policy", "UNCLASSIFIED", 2, 1)]


def titles(rows) -> list[str]:
    return [r.title for r in rows]


def test_search_needs_every_word_in_the_title_or_file_name_in_any_case():
    assert titles(document_list.filtered(LIBRARY, "memo 19")) == ["DSCA Policy Memo 19-33"]
    assert titles(document_list.filtered(LIBRARY, "dsca_20")) == ["dsca policy memo 20-01"]  # the file name
    assert titles(document_list.filtered(LIBRARY, "  ")) == titles(LIBRARY)
    assert document_list.filtered(LIBRARY, "memo zarvia") == []


def test_type_and_marking_filters_combine_and_unmarked_can_be_picked():
    assert titles(document_list.filtered(LIBRARY, doc_types=("policy",), markings=(document_list.UNMARKED,))) == [
        "DSCA Policy Memo 19-33"]
    assert titles(document_list.filtered(LIBRARY, markings=("CUI", "UNCLASSIFIED"))) == [
        "Security Cooperation Organization Manual", "Joint Fire Support", "dsca policy memo 20-01"]


def test_sorts_take_each_columns_natural_order_and_can_be_reversed():
    assert titles(document_list.sorted_documents(LIBRARY, "Title")) == [
        "DSCA Policy Memo 19-33", "dsca policy memo 20-01", "Joint Fire Support",
        "Security Cooperation Organization Manual"]  # case does not split the list
    assert [r.pages for r in document_list.sorted_documents(LIBRARY, "Pages")] == [200, 90, 4, 2]  # largest first
    assert [r.source for r in document_list.sorted_documents(LIBRARY, "Ingested")][0] == "DSCA_19-33.pdf"  # newest
    assert [r.pages for r in document_list.sorted_documents(LIBRARY, "Pages", descending=False)] == [2, 4, 90, 200]


def test_pages_are_clamped_and_say_what_they_show():
    rows = list(range(318))
    first = document_list.page_of(rows, 1, 25)
    assert (first.rows[0], first.rows[-1], first.pages) == (0, 24, 13)
    assert first.caption == "Showing 1–25 of 318 (page 1 of 13)"
    last = document_list.page_of(rows, 99, 25)  # a page number left over from a longer list
    assert (last.number, last.rows, last.caption) == (13, rows[300:], "Showing 301–318 of 318 (page 13 of 13)")
    assert document_list.page_of([], 3, 25).caption == "No document matches."


def test_ingestion_times_become_datetimes_for_the_browser_to_show_as_distances():
    rows = document_list.table_rows(LIBRARY[:1])
    assert rows[0]["ingested at"] == dt.datetime(2026, 11, 3, 14, 5, tzinfo=dt.timezone.utc)
    assert document_list.ingested_time("not a time") is None
    assert document_list.ingested_time("2026-11-03T14:05:00").tzinfo is not None  # a stamp without a zone is UTC
