"""The chat settings in the sidebar: the answering backend (extractive, an Ollama model from the
server's list, or an OpenAI-compatible endpoint and model), its status and a connection test;
the number of passages; filters by document type and document (a search, for libraries of
hundreds). Kept per session (widget keys); the backend choice is also saved per user
(backend_choice.py) and restored when the user comes back."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from assistant.config import Settings
from assistant.core.engine import DEFAULT_K
from assistant.core.llm import BACKEND_LABELS, BACKENDS, DEFAULT_MODELS, MODEL_BACKENDS, check_connection, ollama_models
from assistant.core.passages import Filters
from assistant.frontends.ui.backend_choice import BackendChoice, load_choice, save_choice
from assistant.frontends.ui.backends import backend_status
from assistant.frontends.ui.document_list import filtered
from ingest.errors import UserError
from ingest.metadata import DOC_TYPES


PICKER_OPTIONS = 50  # matches offered at once: a longer dropdown is scrolled, not read
RESTORED = "backend_restored"  # the saved choice was put into the widgets once this session
SAVED = "backend_saved"  # the choice as last saved (written again only when it changes)
# widget keys of the backend choice
BACKEND, BASE_URL, MODEL, OLLAMA_URL, OLLAMA_MODEL = "backend", "llm_base_url", "llm_model", "ollama_url", "ollama_model"


@dataclass(frozen=True)
class ChatSettings:
    backend: BackendChoice
    backend_ready: bool
    k: int
    filters: Filters


@st.cache_data(ttl=30, show_spinner=False)
def _status(choice_key: str, _settings: Settings) -> tuple[bool, str]:
    # checked at most every 30 s per backend, endpoint and model, not on every rerun
    return backend_status(_settings.backend, _settings)


@st.cache_data(ttl=30, show_spinner="Asking the Ollama server for its models…")
def _ollama_models(url: str) -> list[str]:
    return ollama_models(url)


def _user() -> str | None:
    from assistant.frontends.ui.login import current_profile

    profile = current_profile()
    return profile.name if profile is not None else None


def _restore(settings: Settings) -> BackendChoice:
    """Once per session: the user's saved choice (else the configured one) into the widgets."""
    default = BackendChoice.from_settings(settings)
    try:
        saved = load_choice(settings.store_dir, _user(), default)
    except UserError as exc:
        st.warning(str(exc), icon=":material/settings_alert:")
        saved = default
    st.session_state[BACKEND] = saved.backend
    st.session_state[BASE_URL] = saved.base_url
    st.session_state[MODEL] = saved.model
    st.session_state[OLLAMA_URL] = saved.ollama_url or settings.ollama_url
    st.session_state[OLLAMA_MODEL] = saved.ollama_model or None
    st.session_state[SAVED] = saved
    st.session_state[RESTORED] = True
    return saved


def backend_choice(settings: Settings) -> BackendChoice:
    """The backend widgets (inside the sidebar); the choice they make."""
    if not st.session_state.get(RESTORED):
        _restore(settings)
    for key in (BASE_URL, MODEL, OLLAMA_URL, OLLAMA_MODEL):
        # kept while their widgets are not drawn (Streamlit drops a hidden widget's value):
        # going to extractive and back keeps the endpoint typed in
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    backend = st.selectbox("Backend", BACKENDS, key=BACKEND, format_func=lambda b: BACKEND_LABELS.get(b, b),
                           help="Extractive needs no model: it answers with sentences of the documents. "
                                "A model writes the answer from the same passages; every sentence is checked.")
    if backend == "ollama":
        url = st.text_input("Ollama server", key=OLLAMA_URL, placeholder="http://127.0.0.1:11434").strip()
        try:
            models = _ollama_models(url) if url else []
        except UserError as exc:
            st.error(str(exc), icon=":material/error:")
            models = []
        saved = st.session_state.get(OLLAMA_MODEL)
        options = models + ([saved] if saved and saved not in models else [])
        st.selectbox("Model", options, key=OLLAMA_MODEL, placeholder="No model listed",
                     help="The models the Ollama server holds (its /api/tags)")
    elif backend == "openai":
        st.text_input("Endpoint", key=BASE_URL, placeholder="http://127.0.0.1:8080/v1",
                      help="An OpenAI-compatible API: llama.cpp server, vLLM, LM Studio, a hosted API. "
                           "An API key comes from PLANASSIST_LLM_API_KEY (it is never saved).")
        st.text_input("Model", key=MODEL, placeholder=DEFAULT_MODELS["openai"])
    state = st.session_state
    return BackendChoice(backend, base_url=(state.get(BASE_URL) or "").strip(), model=(state.get(MODEL) or "").strip(),
                         ollama_url=(state.get(OLLAMA_URL) or "").strip(), ollama_model=state.get(OLLAMA_MODEL) or "")


def connection_test(choice: BackendChoice, settings: Settings) -> None:
    """One short request to the chosen model, on demand; the result stays until the choice changes."""
    result_key = f"connection_test:{choice.key}"
    if st.button("Test the connection", key="test_connection", icon=":material/network_check:"):
        started = time.perf_counter()
        try:
            check_connection(choice.backend, choice.applied_to(settings))
            st.session_state[result_key] = (True, f"{BACKEND_LABELS[choice.backend]} answered in "
                                                  f"{time.perf_counter() - started:.1f} s")
        except UserError as exc:
            st.session_state[result_key] = (False, str(exc))
    if result_key in st.session_state:
        ok, message = st.session_state[result_key]
        (st.success if ok else st.error)(message, icon=":material/check_circle:" if ok else ":material/error:")


def _save(choice: BackendChoice, settings: Settings) -> None:
    if choice != st.session_state.get(SAVED):
        try:
            save_choice(settings.store_dir, _user(), choice)
            st.session_state[SAVED] = choice
        except OSError as exc:
            st.warning(f"The backend choice could not be saved for next time: {exc}")


def chat_settings(store) -> ChatSettings:
    settings = Settings.from_env()
    with st.sidebar:
        st.subheader("Answering")
        choice = backend_choice(settings)
        chosen = choice.applied_to(settings)
        ready, status = _status(choice.key, chosen)
        (st.success if ready else st.error)(status, icon=":material/check_circle:" if ready else ":material/error:")
        if choice.backend in MODEL_BACKENDS:  # there is a connection to test
            connection_test(choice, settings)
        _save(choice, settings)
        k = st.slider("Passages to retrieve", 1, 30, DEFAULT_K, key="k")
        st.subheader("Filters")
        documents = store.documents()
        types_present = [t for t in DOC_TYPES if any(d.doc_type == t for d in documents)]
        doc_types = st.multiselect("Document types", types_present, key="filter_types",
                                   placeholder="All types")
        doc_ids = document_picker(documents)
    return ChatSettings(choice, ready, k, Filters(doc_types=tuple(doc_types), doc_ids=tuple(doc_ids)))


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
