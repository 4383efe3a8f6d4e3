"""Objects built once per process and shared by every session (st.cache_resource): the
embedding model, the store and the assistant. Sessions keep their own chats in
st.session_state; nothing here holds per-user state.

Shared by concurrent sessions (each Streamlit session runs its script in its own thread), so
each must be safe to use from several threads at once:
- Embedder: onnxruntime's InferenceSession.run and the tokenizer are thread-safe; loading
  is under the Embedder's own lock.
- Store: Chroma's client is thread-safe; the SQLite keyword index opens one connection per
  thread; writes (ingest, remove, set type/marking) take the store's writer lock.
- Assistant: holds no per-question state except the extractive answerer's sentence-vector
  cache, which takes a lock (assistant/core/extractive.py); the audit log appends under a lock.

Each builder is keyed by the settings it was built from, so a changed configuration
(another store, another endpoint) gets its own objects.

The store is written by others while the app runs (a CLI ingest into the same embedded store,
another machine on a shared Chroma server). The cached objects stay valid: the store itself
looks at the collection's version stamp whenever a run lists its documents (every question,
every page) and, when another process moved it, reopens its embedded Chroma client (whose
in-memory index would otherwise fail with "Error finding id") and follows the new document
set (Store.follow); the assistant's glossary and paragraph list key on the index's version.
So nothing here is rebuilt and no session sees an error."""

from __future__ import annotations

import streamlit as st

from dataclasses import replace

from assistant.config import Settings
from assistant.frontends.ui.backend_choice import BackendChoice
from assistant.services import make_assistant, make_embedder, make_store
from ingest.reader import StoreReader


def _key(settings: Settings) -> str:
    return repr(settings)


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(key: str, _settings: Settings):
    return make_embedder(_settings).warm_up()


@st.cache_resource(show_spinner="Opening the document store…")
def _store(key: str, _settings: Settings):
    return make_store(_settings, _embedder(key, _settings))


@st.cache_resource(show_spinner="Opening the document store…")
def _reader(key: str, _settings: Settings) -> StoreReader:
    # one reader per store, so the keyword index built for a visible set is shared by every
    # session whose profile sees that set (ingest/reader.py)
    return StoreReader(_store(key, _settings))


@st.cache_resource(show_spinner="Preparing the assistant…")
def _assistant(key: str, choice_key: str, _settings: Settings, _choice: BackendChoice):
    # shared by every session that chose this backend, endpoint and model, so it holds no
    # profile of its own: each session gets it bound to its user's profile
    # (session_assistant); the profile settings are left out here
    unscoped = replace(_choice.applied_to(_settings), user_file=None, user=None, max_marking=None, caveats=None)
    return make_assistant(unscoped, _embedder(key, _settings), _reader(key, _settings), backend=_choice.backend)


def get_embedder():
    settings = Settings.from_env()
    return _embedder(_key(settings), settings)


def get_store():
    settings = Settings.from_env()
    return _store(_key(settings), settings)


def get_assistant(choice: BackendChoice | str = "extractive"):
    """The shared assistant with no profile, answering with `choice` (a backend name: that
    backend as the settings configure it): pages use session_assistant()."""
    settings = Settings.from_env()
    if isinstance(choice, str):
        choice = replace(BackendChoice.from_settings(settings), backend=choice)
    choice = choice.effective()
    return _assistant(_key(settings), choice.key, settings, choice)


# --- what this session's user may see (assistant/frontends/ui/login.py decides who that is) ---------
def session_store() -> StoreReader:
    """The store as this session's user sees it (ingest/reader.py): documents, passages,
    glossary and paragraphs of only the documents the profile allows."""
    from assistant.frontends.ui.login import current_profile

    settings = Settings.from_env()
    return _reader(_key(settings), settings).visible_to(current_profile())


def session_assistant(choice: BackendChoice | str = "extractive"):
    """The shared assistant for `choice`, answering for this session's user (need-to-know and
    audit name)."""
    from assistant.frontends.ui.login import current_profile

    return get_assistant(choice).for_profile(current_profile())
