"""The chat settings in the sidebar: answering backend and its status, number of passages,
and filters by document type and document. Kept per session (widget keys)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant.config import Settings
from assistant.engine import DEFAULT_K
from assistant.passages import Filters
from assistant.ui.backends import LABELS, backend_status, offered_backends
from ingest.metadata import DOC_TYPES


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
        titles = {d.doc_id: d.title for d in documents}
        doc_ids = st.multiselect("Documents", list(titles), key="filter_docs", placeholder="All documents",
                                 format_func=lambda i: titles.get(i, i))
    return ChatSettings(backend, ready, k, Filters(doc_types=tuple(doc_types),
                                                   doc_ids=tuple(i for i in doc_ids if i in titles)))
