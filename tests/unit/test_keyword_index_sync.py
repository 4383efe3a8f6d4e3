"""The keyword index's registry as readers key on it: its version moves with every change to
the document set (not with aggregates that can come out equal), and an index made before
documents had owners opens with the owner column added."""

from __future__ import annotations

import sqlite3


def row(doc_id: str, path: str = "/docs/plan.txt", owner: str = "store-a"):
    from ingest.keyword_index import DocumentRow

    return DocumentRow(doc_id=doc_id, path=path, source="plan.txt", title="Plan", doc_type="plan", marking=None,
                       pages=1, chunks=1, ingested_at="2026-01-01T00:00:00+00:00", owner=owner)


def test_version_moves_when_a_document_is_replaced_by_one_of_as_many_chunks(tmp_path):
    from ingest.keyword_index import KeywordIndex

    index = KeywordIndex(tmp_path / "k.sqlite3")
    index.commit_document(row("z" * 64, path="/docs/other.txt"), [("z" * 64 + ":0", "text", "1", "", "")], replaces=[])
    index.commit_document(row("b" * 64), [("b" * 64 + ":0", "text one", "1.a", "", "")], replaces=[])
    first = index.version()
    # same count, chunk total, newest date and greatest id as before: aggregates cannot tell
    index.commit_document(row("a" * 64), [("a" * 64 + ":0", "text two", "1.a", "", "")], replaces=["b" * 64])
    assert index.version() != first
    relabelled = index.version()
    index.update_document("a" * 64, marking="CUI")
    assert index.version() != relabelled
    # another connection (another process on the same file) sees the same version
    assert KeywordIndex(tmp_path / "k.sqlite3").version() == index.version()


def test_an_index_from_before_owners_gets_the_column(tmp_path):
    from ingest.keyword_index import KeywordIndex

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, source TEXT NOT NULL, "
               "title TEXT NOT NULL, doc_type TEXT NOT NULL, marking TEXT, pages INTEGER NOT NULL, "
               "chunks INTEGER NOT NULL, ingested_at TEXT NOT NULL)")
    db.execute("INSERT INTO documents VALUES ('d1', '/p', 'p', 'T', 'plan', NULL, 1, 1, '2025')")
    db.commit()
    db.close()
    index = KeywordIndex(path)
    assert index.documents()[0].owner == ""
    index.commit_document(row("d2"), [], replaces=[])
    assert {d.doc_id: d.owner for d in index.documents()} == {"d1": "", "d2": "store-a"}
    assert index.followed_stamp() is None
    index.set_followed_stamp("abc")
    assert index.followed_stamp() == "abc"
