"""The chat settings in the sidebar: answering backend and its status, number of passages,
and filters by document type and document (a search, for libraries of hundreds). Kept per session (widget keys)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant.config import Settings
from assistant.core.engine import DEFAULT_K
from assistant.core.passages import Filters
from assistant.frontends.ui.backends import LABELS, backend_status, offered_backends
from assistant.frontends.ui.document_list import filtered
from ingest.metadata import DOC_TYPES


PICKER_OPTIONS = 50  # matches offered at once: a longer dropdown is scrolled, not read


@dataclass(frozen=True)
class ChatSettings:
    backend: str
    backend_ready: bool
    k: int
    filters: Filters


@st.cache_data(ttl=30, show_spinner=False)
def _status(backend: str, settings_key: str) -> tuple[bool, str]:
    # checked at most every 30 s per backend and configuration, not on every rerun
    return backend_status(backend, Settings.from_env())


def chat_settings(store) -> ChatSettings:
    settings = Settings.from_env()
    offered = offered_backends(settings)
    default = settings.backend if settings.backend in offered else "extractive"
    with st.sidebar:
        st.subheader("Answering")
        backend = st.selectbox("Backend", offered, index=offered.index(default), key="backend",
                               format_func=lambda b: LABELS.get(b, b),
                               help="Extractive needs no model. An LLM endpoint appears here when "
                                    "PLANASSIST_LLM_BASE_URL (or PLANASSIST_BACKEND=ollama) is set.")
        ready, status = _status(backend, repr(settings))
        (st.success if ready else st.error)(status, icon=":material/check_circle:" if ready else ":material/error:")
        k = st.slider("Passages to retrieve", 1, 30, DEFAULT_K, key="k")
        st.subheader("Filters")
        documents = store.documents()
        types_present = [t for t in DOC_TYPES if any(d.doc_type == t for d in documents)]
        doc_types = st.multiselect("Document types", types_present, key="filter_types",
                                   placeholder="All types")
        doc_ids = document_picker(documents)
    return ChatSettings(backend, ready, k, Filters(doc_types=tuple(doc_types), doc_ids=tuple(doc_ids)))


def document_picker(documents: list) -> list[str]:
    """The document filter at library size: a search box narrows the list (title or file
    name, every word), and the multiselect below offers the first matches plus what is
    already picked, so picking several across searches works. Returns the picked ids."""
    by_id = {d.doc_id: d for d in documents}
    # A document removed since it was picked leaves the filter (before the widget is drawn).
    picked = [i for i in st.session_state.get("filter_docs", []) if i in by_id]
    st.session_state["filter_docs"] = picked
    query = st.text_input("Find documents", key="filter_doc_query", placeholder="Words of the title or file name")
    found = [d.doc_id for d in filtered(documents, query)]
    options = picked + [i for i in found if i not in picked][:PICKER_OPTIONS]
    chosen = st.multiselect("Documents", options, key="filter_docs",
                            placeholder=f"All documents ({len(documents)})" if not picked else "Add documents",
                            format_func=lambda i: f"{by_id[i].title} · {by_id[i].source}")
    if query.strip():
        more = len(found) - PICKER_OPTIONS
        st.caption(f"{len(found)} match" + ("" if len(found) == 1 else "es")
                   + (f"; the first {PICKER_OPTIONS} are offered, type more words to narrow" if more > 0 else ""))
    return [i for i in chosen if i in by_id]
