"""Shared fixtures. All user state (store, model cache) goes to temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "documents"
REALDOCS = ROOT.parent / "shared" / "realdocs" / "samm"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    # one export of the int8 model per test session, shared by every test
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def isolated_state(tmp_path, model_cache, monkeypatch):
    monkeypatch.setenv("PLANASSIST_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("PLANASSIST_CACHE", str(model_cache))
    monkeypatch.delenv("PLANASSIST_CHROMA_URL", raising=False)
    monkeypatch.delenv("PLANASSIST_COLLECTION", raising=False)
    yield


@pytest.fixture(scope="session")
def embedder(model_cache):
    from ingest.embedding import Embedder

    return Embedder(cache_dir=model_cache).warm_up()


@pytest.fixture
def store(tmp_path, embedder):
    from ingest.store import Store

    return Store(tmp_path / "store", embedding_name=embedder.name)
