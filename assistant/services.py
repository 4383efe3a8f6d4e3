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
    """The LangChain chat model of a model backend (openai | ollama)."""
    from assistant.core.llm import make_chat_model as build

    return build(backend or settings.backend, settings)


def make_answerer(settings: Settings, embedder: Embedder, backend: str | None = None, params=None):
    """The one place the answering backend is chosen: the extractive answerer (no model;
    `params`: its AnswerParams, default the fitted ones) or a chat model answering from the
    passages. Everything downstream holds an assistant.core.answerers.Answerer."""
    from assistant.core.answerers import ChatModelBackend, ExtractiveBackend
    from assistant.core.llm import endpoint_of

    backend = backend or settings.backend
    if backend == "extractive":
        return ExtractiveBackend(embedder, params=params)
    return ChatModelBackend(make_chat_model(settings, backend), backend, endpoint_of(backend, settings))


def make_assistant(settings: Settings, embedder: Embedder, store: Store, backend: str | None = None,
                   user=None):
    """`user`: a UserProfile answered for by default (None: the one the settings name)."""
    from assistant.access.profiles import profile_for
    from assistant.core.engine import Assistant

    return Assistant(store, embedder, answerer=make_answerer(settings, embedder, backend),
                     user=user if user is not None else profile_for(settings))
