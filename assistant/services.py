"""One factory per external dependency; everything downstream receives ready objects."""

from __future__ import annotations

from assistant.config import Settings
from ingest.embedding import Embedder
from ingest.store import Store


def make_embedder(settings: Settings) -> Embedder:
    return Embedder(settings.embedding_model, backend=settings.embedding_backend)


def make_store(settings: Settings, embedder: Embedder, reconcile_on_open: bool = True) -> Store:
    return Store(settings.store_dir, embedding_name=embedder.name, collection=settings.collection,
                 chroma_url=settings.chroma_url, reconcile_on_open=reconcile_on_open)


def make_chat_model(settings: Settings, backend: str | None = None):
    from assistant.core.llm import make_chat_model as build

    return build(backend or settings.backend, settings)


def make_assistant(settings: Settings, embedder: Embedder, store: Store, backend: str | None = None,
                   user=None):
    """`user`: a UserProfile answered for by default (None: the one the settings name)."""
    from assistant.access.profiles import profile_for
    from assistant.core.engine import Assistant

    backend = backend or settings.backend
    return Assistant(store, embedder, chat_model=make_chat_model(settings, backend), backend_name=backend,
                     user=user if user is not None else profile_for(settings))
