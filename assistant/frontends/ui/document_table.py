"""The Documents page's table at library size: a search box, type and marking filters, a sort
order and pages above an st.dataframe that fits a 1280-pixel screen. The rules live in
assistant/frontends/ui/document_list.py; this module only draws them. Widget state is per session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.frontends.ui import document_list
from ingest.metadata import DOC_TYPES

ROW_PX = 35  # st.dataframe's row height: the table is as tall as its page, with no inner scroll bar

# Widths in pixels that add up to what the main column holds at 1280 px with the sidebar open
# (about 830 px); what is left over Streamlit shares out between the columns.
COLUMNS = {
    "title": st.column_config.TextColumn("Title", width=240),
    "file": st.column_config.TextColumn("File", width=160),
    "type": st.column_config.TextColumn("Type", width=70),
    "marking": st.column_config.TextColumn("Marking", width=105),
    "pages": st.column_config.NumberColumn("Pages", width=55),
    "chunks": st.column_config.NumberColumn("Chunks", width=60),
    "ingested at": st.column_config.DatetimeColumn("Ingested", width=105, format="distance",
                                                   help="When the document was ingested (hover for the time)"),
}


def _reset_page_when_changed(*choices) -> None:
    """Back to page 1 whenever the search, a filter or the order changes."""
    signature = repr(choices)
    if st.session_state.get("doc_list_signature") != signature:
        st.session_state["doc_list_signature"] = signature
        st.session_state["doc_page"] = 1


def document_table(documents: list) -> list:
    """Draw the controls and one page of the table; returns every document the search and
    filters leave, in the chosen order (the curator's controls below pick from those)."""
    top = st.columns([3, 2, 2])
    query = top[0].text_input("Search", key="doc_query", placeholder="Words of the title or file name")
    types = top[1].multiselect("Type", [t for t in DOC_TYPES if any(d.doc_type == t for d in documents)],
                               key="doc_types", placeholder="All types")
    markings = top[2].multiselect("Marking", sorted({document_list.marking_label(d.marking) for d in documents}),
                                  key="doc_markings", placeholder="All markings")
    order = st.columns([2, 1, 1, 1])
    sort = order[0].selectbox("Sort by", list(document_list.SORTS), key="doc_sort")
    size = order[1].selectbox("Rows per page", document_list.PAGE_SIZES, key="doc_page_size")
    reverse = order[3].toggle("Reverse order", key="doc_reverse")
    rows = document_list.sorted_documents(document_list.filtered(documents, query, types, markings), sort)
    if reverse:
        rows.reverse()
    _reset_page_when_changed(query, types, markings, sort, size, reverse)
    pages = max(1, -(-len(rows) // size))
    st.session_state["doc_page"] = min(max(1, st.session_state.get("doc_page", 1)), pages)
    number = order[2].number_input("Page", min_value=1, max_value=pages, step=1, key="doc_page")
    page = document_list.page_of(rows, number, size)
    st.caption(page.caption)
    if page.rows:
        st.dataframe(pd.DataFrame(document_list.table_rows(page.rows)), column_config=COLUMNS, hide_index=True,
                     width="stretch", height=ROW_PX * (len(page.rows) + 1) + 3)
    return rows
