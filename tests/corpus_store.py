"""The bundled corpus ingested once per test session into a real store, shared by the
mapping and drafting gates (a module-level cache, so conftest.py stays as it is)."""

from __future__ import annotations

_STORES: dict = {}


def bundled_store(tmp_path_factory, embedder):
    if "store" not in _STORES:
        from conftest import CORPUS
        from ingest.pipeline import IngestOptions, ingest_paths
        from ingest.store import Store

        path = tmp_path_factory.mktemp("bundled")
        store = Store(path, embedding_name=embedder.name)
        report = ingest_paths([CORPUS], store, embedder, IngestOptions())
        assert not report.failed
        _STORES["store"] = store
    return _STORES["store"]
