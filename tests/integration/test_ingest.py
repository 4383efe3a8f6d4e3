"""Ingestion into a real Chroma store on disk with the real embedding model."""

import numpy as np

from helpers import PLAN_TEXT, write
from ingest import vector_store
from ingest.pipeline import IngestOptions, ingest_paths


def ingest(store, embedder, *paths, **options):
    return ingest_paths(list(paths), store, embedder, IngestOptions(workers=1, **options))


def chroma_doc_ids(store):
    return {m["doc_id"] for _, m, _ in vector_store.iterate(store.collection)}


def keyword_hits(store, word):
    return store.keywords.search(f'"{word}"', 10)


def test_ingest_is_idempotent(tmp_path, store, embedder):
    folder = tmp_path / "docs"
    write(folder / "plan.txt", PLAN_TEXT)
    write(folder / "notes.md", "---\ntitle: Notes\ndoc_type: guidance\n---\n# Notes\n\n1. The SCO meets on Mondays.\n")
    first = ingest(store, embedder, folder)
    assert first.counts()["added"] == 2 and not first.failed
    count = store.collection.count()
    second = ingest(store, embedder, folder)
    assert second.counts() == {"added": 0, "replaced": 0, "unchanged": 2, "removed": 0, "skipped": 0, "failed": 0}
    assert store.collection.count() == count
    docs = {d.title: d for d in store.documents()}
    assert docs["Notes"].doc_type == "guidance"
    assert docs["SAMPLE COUNTRY PLAN"].marking == "UNCLASSIFIED"
    assert docs["SAMPLE COUNTRY PLAN"].doc_type == "plan"


def test_changed_file_replaces_its_previous_version(tmp_path, store, embedder):
    path = write(tmp_path / "plan.txt", PLAN_TEXT)
    ingest(store, embedder, path)
    old_id = store.documents()[0].doc_id
    write(path, PLAN_TEXT.replace("$7 million", "$9 million"))
    report = ingest(store, embedder, path)
    assert report.counts()["replaced"] == 1
    [doc] = store.documents()
    assert doc.doc_id != old_id
    assert chroma_doc_ids(store) == {doc.doc_id}
    texts = " ".join(t for _, t, _ in store.document_chunks(doc.doc_id))
    assert "$9 million" in texts and "$7 million" not in texts
    assert keyword_hits(store, "9 million") and not keyword_hits(store, "7 million")


def test_old_version_stays_visible_until_the_new_one_is_complete(tmp_path, store, embedder):
    """A run killed after writing half of the new version's chunks: readers keep the old
    version; the next run completes the work."""
    from ingest.chunking import chunk_document
    from ingest.keyword_index import DocumentRow
    from ingest.loaders import load_document
    from ingest.store import Store, chunk_metadata

    path = write(tmp_path / "plan.txt", PLAN_TEXT)
    ingest(store, embedder, path)
    [old] = store.documents()
    write(path, PLAN_TEXT + "3. A new paragraph about FY2027 funding for the Blue Strait radar.\n")
    new = load_document(path)
    chunks = chunk_document(new)
    row = DocumentRow(new.doc_id, str(path.resolve()), path.name, new.title, "plan", None, 1, len(chunks),
                      "2099-01-01T00:00:00+00:00")
    half = chunks[: len(chunks) // 2]  # step 1 interrupted
    store.collection.add(ids=[c.chunk_id for c in half], embeddings=embedder.embed_documents([c.text for c in half]),
                         documents=[c.text for c in half], metadatas=[chunk_metadata(row, c) for c in half])
    reopened = Store(store.store_dir, embedding_name=embedder.name)
    assert [d.doc_id for d in reopened.documents()] == [old.doc_id]  # the old version answers
    assert chroma_doc_ids(reopened) == {old.doc_id}  # and the partial write was cleared
    report = ingest(reopened, embedder, path)
    assert report.counts()["replaced"] == 1
    assert chroma_doc_ids(reopened) == {new.doc_id}


def test_prune_and_remove(tmp_path, store, embedder):
    keep = write(tmp_path / "keep.txt", PLAN_TEXT)
    gone = write(tmp_path / "gone.md", "# Gone\n\n1. This document about IMET will be deleted.\n")
    ingest(store, embedder, keep, gone)
    gone.unlink()
    report = ingest(store, embedder, keep, prune=True)
    assert [o.path for o in report.of("removed")] == [str(gone.resolve())]
    assert len(store.documents()) == 1 and not keyword_hits(store, "IMET")
    [doc] = store.documents()
    store.remove_document(doc.doc_id)
    assert store.documents() == [] and store.collection.count() == 0
    assert not keyword_hits(store, "Testland")


def test_keyword_index_rebuilds_from_chroma(tmp_path, store, embedder):
    ingest(store, embedder, write(tmp_path / "plan.txt", PLAN_TEXT))
    before = store.documents()
    store.keywords.clear()
    assert store.rebuild_keywords() == 1
    assert store.documents() == before
    assert keyword_hits(store, "Testland")
    assert ("FMF", "Foreign Military Financing") in [(a, e) for a, e, _ in store.keywords.glossary()]


def test_vectors_are_normalised_and_the_query_finds_its_paragraph(tmp_path, store, embedder):
    ingest(store, embedder, write(tmp_path / "plan.txt", PLAN_TEXT))
    query = embedder.embed_query("How many sailors does the Testland navy have?")
    assert abs(np.linalg.norm(query) - 1) < 1e-3
    found = store.collection.query(query_embeddings=[query], n_results=1, include=["metadatas"])
    assert found["metadatas"][0][0]["section"] == "1.a"


def test_same_content_at_two_paths_is_stored_once(tmp_path, store, embedder):
    a = write(tmp_path / "a" / "plan.txt", PLAN_TEXT)
    b = write(tmp_path / "b" / "plan.txt", PLAN_TEXT)
    report = ingest(store, embedder, a, b)
    assert report.counts()["added"] == 1 and report.counts()["unchanged"] == 1
    assert "same content as" in report.of("unchanged")[0].detail
