"""The app at library size (321 documents, ingested for real from generated Markdown files):
the Documents page's search, filters, sort and pages, its access scoping, and the sidebar's
document search on the chat page, through AppTest."""

from __future__ import annotations

import pytest

from app_helpers import LIBRARY_MEMOS, PILOT_TITLE, app_test, library_memo, no_exceptions

pytestmark = pytest.mark.slow

MEMOS = LIBRARY_MEMOS
PILOT = PILOT_TITLE
memo = library_memo


def table(at):
    return at.dataframe[0].value


def caption_of(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("Showing", "No document")))


def test_the_list_comes_in_pages_and_search_and_filters_narrow_it(library_store):
    at = app_test("documents")
    no_exceptions(at)
    assert any(s.value == f"In the store ({MEMOS + 1})" for s in at.subheader)
    assert len(table(at)) == 25 and caption_of(at) == f"Showing 1–25 of {MEMOS + 1} (page 1 of 13)"
    assert list(table(at).columns) == ["title", "file", "type", "marking", "pages", "chunks", "ingested at"]

    at.text_input(key="doc_query").input("harbor licensing").run()
    assert list(table(at)["title"]) == [PILOT]
    at.text_input(key="doc_query").input("memo_01").run()  # words of the file name work too
    assert list(table(at)["file"]) == [f"memo_{i:03d}.md" for i in range(10, 20)]

    at.text_input(key="doc_query").input("").run()
    at.multiselect(key="doc_types").select("law")
    at.multiselect(key="doc_markings").select("CUI").run()
    expected = sorted(memo(i)[0] for i in range(MEMOS) if memo(i)[1] == "law" and memo(i)[2] == "CUI")
    assert list(table(at)["title"]) == expected[:25]
    assert caption_of(at).endswith(f"of {len(expected)} (page 1 of 2)")
    at.multiselect(key="doc_markings").unselect("CUI").select("(unmarked)").run()
    assert PILOT in list(table(at)["title"])


def test_sort_and_pages_cover_the_whole_list_not_one_page(library_store):
    at = app_test("documents")
    at.selectbox(key="doc_sort").set_value("Pages").run()
    assert set(table(at)["pages"]) == {7}  # the largest first, from the whole list
    at.toggle(key="doc_reverse").set_value(True).run()
    assert set(table(at)["pages"]) == {1}
    at.selectbox(key="doc_page_size").set_value(100).run()
    at.number_input(key="doc_page").set_value(4).run()
    no_exceptions(at)
    assert len(table(at)) == MEMOS + 1 - 300 and caption_of(at) == f"Showing 301–{MEMOS + 1} of {MEMOS + 1} (page 4 of 4)"
    assert set(table(at)["pages"]) == {7}
    at.text_input(key="doc_query").input("memo").run()  # a new search starts again at page 1
    assert caption_of(at).startswith("Showing 1–100 of 320 (page 1 of 4)")


def test_curator_controls_pick_from_the_search_and_a_limited_user_sees_only_what_they_may(library_store, monkeypatch):
    at = app_test("documents")
    at.text_input(key="doc_query").input("harbor").run()
    assert [o for o in at.selectbox(key="edit_doc").options] == [f"{PILOT} (harbor.md)"]
    monkeypatch.setenv("PLANASSIST_MAX_MARKING", "UNCLASSIFIED")
    limited = app_test("documents")
    no_exceptions(limited)
    visible = MEMOS + 1 - sum(1 for i in range(MEMOS) if memo(i)[2] == "CUI")
    assert any(s.value == f"In the store ({visible})" for s in limited.subheader)
    assert "CUI" not in limited.multiselect(key="doc_markings").options
    limited.text_input(key="doc_query").input("memo 001").run()  # memo 001 is CUI
    assert caption_of(limited) == "No document matches."


def test_the_sidebar_finds_documents_by_search_and_keeps_several_picked(library_store):
    at = app_test()
    no_exceptions(at)
    picker = at.multiselect(key="filter_docs")
    assert len(picker.options) == 50  # not all 321 at once
    at.text_input(key="filter_doc_query").input("harbor").run()
    assert at.multiselect(key="filter_docs").options == [f"{PILOT} · harbor.md"]
    at.multiselect(key="filter_docs").select(f"{PILOT} · harbor.md").run()
    at.text_input(key="filter_doc_query").input("memo 007").run()
    seventh = f"{memo(7)[0]} · memo_007.md"
    assert at.multiselect(key="filter_docs").options == [f"{PILOT} · harbor.md", seventh]  # the pick stays
    at.multiselect(key="filter_docs").select(seventh).run()
    no_exceptions(at)
    assert len(at.multiselect(key="filter_docs").value) == 2
    at.chat_input[0].set_value("What do pilots hold?").run()
    no_exceptions(at)
    answer = at.session_state["turns"][-1].answer
    assert {c.source for c in answer.citations + answer.closest} <= {"harbor.md", "memo_007.md"}
