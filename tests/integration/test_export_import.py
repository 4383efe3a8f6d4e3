"""export/import round trip: same ids, vectors, metadata and registry, and the same answers
and search results, into another embedded store and into a real Chroma server."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

from helpers import CORPUS
from helpers import planassist

QUESTIONS = ["What is Zarvia's FY2026 FMF?", "Who leads ODC Marenta?",
             "When and where is TIDEWATCH 26 and how large is it?",
             "How much notice does Congress need?", "What is Estrovia's FY2027 FMF planning figure?"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, embedder):
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store
    from ingest.transfer import export_store

    folder = tmp_path_factory.mktemp("export")
    store = Store(folder / "source", embedding_name=embedder.name)
    assert not ingest_paths([CORPUS], store, embedder, IngestOptions()).failed
    report = export_store(store, folder / "corpus.zip")
    assert report.documents == 10 and report.chunks == store.collection.count()
    return store, folder / "corpus.zip"


def snapshot(store):
    got = store.collection.get(include=["documents", "metadatas", "embeddings"])
    rows = {i: (d, m, np.asarray(e, dtype=np.float32)) for i, d, m, e in
            zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])}
    return rows, store.documents()


def answers(store, embedder):
    from assistant.core.engine import Assistant

    assistant = Assistant(store, embedder)
    result = []
    for question in QUESTIONS:
        answer = assistant.ask(question)
        result.append((answer.answer, answer.refused, [c.chunk_id for c in answer.citations + answer.closest],
                       [p.chunk_id for p in assistant.search.search(question, 12)]))
    return result


def test_round_trip_into_another_embedded_store(exported, embedder, tmp_path):
    from ingest.store import Store
    from ingest.store_check import check_store
    from ingest.transfer import import_store

    source, path = exported
    target = Store(tmp_path / "target", embedding_name=embedder.name)
    report = import_store(target, path)
    assert report.added == 10 and report.unchanged == 0
    (source_rows, source_docs), (target_rows, target_docs) = snapshot(source), snapshot(target)
    assert source_rows.keys() == target_rows.keys()
    for chunk_id, (text, metadata, vector) in source_rows.items():
        assert target_rows[chunk_id][0] == text and target_rows[chunk_id][1] == metadata
        # Chroma normalises vectors in cosine space on add; a normalised vector comes back
        # within a float32 rounding step, not bit for bit
        assert np.allclose(target_rows[chunk_id][2], vector, rtol=0, atol=1e-6)
    assert target_docs == source_docs
    assert sorted(target.keywords.glossary()) == sorted(source.keywords.glossary())
    assert check_store(target).ok
    assert answers(target, embedder) == answers(source, embedder)
    assert import_store(target, path).unchanged == 10  # importing again changes nothing


@pytest.mark.server
def test_embedded_store_to_a_chroma_server_through_the_cli(exported, tmp_path, chroma_server):
    source, path = exported
    env = {**os.environ, "PLANASSIST_STORE": str(tmp_path / "server-side-index")}
    result = planassist("--chroma-url", chroma_server, "import", str(path), env=env)
    assert result.returncode == 0 and "added 10" in result.stdout, result.stderr
    assert planassist("--chroma-url", chroma_server, "check", env=env).returncode == 0
    server_answers = planassist("--chroma-url", chroma_server, "ask", "--json", *QUESTIONS, env=env)
    local = planassist("ask", "--json", *QUESTIONS, env={**os.environ, "PLANASSIST_STORE": str(source.store_dir)})
    strip = [{k: v for k, v in json.loads(line).items() if k != "timings_ms"}
             for line in server_answers.stdout.splitlines()]
    assert strip == [{k: v for k, v in json.loads(line).items() if k != "timings_ms"}
                     for line in local.stdout.splitlines()]
    # and back out of the server: the same content
    again = tmp_path / "again.zip"
    assert planassist("--chroma-url", chroma_server, "export", str(again), env=env).returncode == 0
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(again) as b:
        for name in ("documents.jsonl", "chunks.jsonl"):  # the server orders metadata keys its own way
            assert ([json.loads(line) for line in a.read(name).splitlines()]
                    == [json.loads(line) for line in b.read(name).splitlines()]), name
        vectors = [np.load(io.BytesIO(archive.read("vectors.npy"))) for archive in (a, b)]
        assert np.allclose(*vectors, rtol=0, atol=1e-6)


def rewrite_member(source, target, name, change):
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target, "w") as b:
        for item in a.namelist():
            data = a.read(item)
            b.writestr(item, change(data) if item == name else data)


@pytest.mark.parametrize("damage, message", [
    ("wrong-model", "holds vectors of embedding model other-model:123"),
    ("version", "export format version 99; this planassist reads version 1"),
    ("damaged", "chunks.jsonl is damaged (checksum differs from the manifest)"),
    ("not-zip", "not a planassist export (not a ZIP archive)"),
])
def test_a_bad_export_is_refused_with_one_message_and_nothing_written(exported, tmp_path, damage, message):
    _, path = exported
    bad = tmp_path / "bad.zip"
    if damage == "not-zip":
        bad.write_text("hello")
    elif damage == "damaged":
        rewrite_member(path, bad, "chunks.jsonl", lambda d: d.replace(b"Zarvia", b"Zorvia"))
    else:
        def edit(data):
            manifest = json.loads(data)
            manifest.update({"embedding_model": "other-model:123"} if damage == "wrong-model" else {"version": 99})
            return json.dumps(manifest)
        rewrite_member(path, bad, "manifest.json", edit)
    result = planassist("import", str(bad))
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert json.loads(planassist("docs", "--json").stdout) == []
