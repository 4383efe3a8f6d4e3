"""The keyword index holds each chunk's heading path and document identity in columns of
their own, and an index written before those columns is dropped to be rebuilt from Chroma."""

import sqlite3

from ingest.keyword_index import DocumentRow, KeywordIndex


def row(doc_id="d1", title="Security Cooperation"):
    return DocumentRow(doc_id=doc_id, path=f"/x/{doc_id}.pdf", source=f"{doc_id}.pdf", title=title,
                       doc_type="policy", marking=None, pages=1, chunks=2, ingested_at="2026-01-01T00:00:00")


def test_heading_and_identity_are_searchable(tmp_path):
    index = KeywordIndex(tmp_path / "k.sqlite3")
    index.commit_document(row(), [("d1-00000", "The Director manages the programs.", "Enclosure 2 > 1.a",
                                   "ENCLOSURE 2 > RESPONSIBILITIES", "DoDI 5132.03; 5132.03; SAMM"),
                                  ("d1-00001", "Reports are due each year.", "Enclosure 2 > 1.b",
                                   "ENCLOSURE 2 > RESPONSIBILITIES", "DoDI 5132.03; 5132.03; SAMM")], replaces=[])
    index.commit_document(row("d2", "Other"), [("d2-00000", "The Director manages the programs.", "1", "", "")],
                          replaces=[])
    assert {c for c, _ in index.search('"5132.03"', 10)} == {"d1-00000", "d1-00001"}
    assert {c for c, _ in index.search("responsibilities", 10)} == {"d1-00000", "d1-00001"}
    best = index.search('"director" OR "5132.03"', 10)
    assert best[0][0] == "d1-00000"  # the same text ranks higher in the document the question names


def test_an_index_without_the_new_columns_is_dropped_for_a_rebuild(tmp_path):
    path = tmp_path / "k.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, source TEXT NOT NULL,
            title TEXT NOT NULL, doc_type TEXT NOT NULL, marking TEXT, pages INTEGER NOT NULL,
            chunks INTEGER NOT NULL, ingested_at TEXT NOT NULL);
        CREATE VIRTUAL TABLE chunk_text USING fts5(text, title, section, chunk_id UNINDEXED, doc_id UNINDEXED);
        INSERT INTO documents VALUES ('d1', '/x', 'x', 't', 'policy', NULL, 1, 1, 'now');
        INSERT INTO chunk_text VALUES ('old text', 't', '1', 'd1-00000', 'd1');""")
    db.commit()
    db.close()
    index = KeywordIndex(path)
    assert index.documents() == []  # Store.reconcile re-registers the documents from Chroma
    index.commit_document(row(), [("d1-00000", "new text", "1", "", "DSCA 04-29")], replaces=[])
    assert index.search('"04"', 5)


def test_documents_at_reads_only_the_rows_at_that_path_through_the_path_index(tmp_path):
    # A write asks for the versions at its path; reading every document row for it made each
    # write slower as the library grew.
    index = KeywordIndex(tmp_path / "k.sqlite3")
    for doc_id in ("d1", "d2", "d3"):
        index.commit_document(row(doc_id), [(f"{doc_id}-00000", "text", "1", "", "")], replaces=[])
    statements = []
    db = index._connect()
    db.set_trace_callback(statements.append)
    assert [d.doc_id for d in index.documents_at("/x/d2.pdf")] == ["d2"]
    assert index.documents_at("/x/none.pdf") == []
    db.set_trace_callback(None)
    plans = [" ".join(str(step[-1]) for step in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
             for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert plans and all("USING INDEX documents_path" in plan for plan in plans), plans


def test_the_register_is_read_again_only_when_another_writer_changes_it(tmp_path):
    # Every search lists the visible documents; the list is kept per generation, and a
    # document another process commits (another connection on the same file) shows at once.
    reader, writer = KeywordIndex(tmp_path / "k.sqlite3"), KeywordIndex(tmp_path / "k.sqlite3")
    writer.commit_document(row("d1"), [("d1-00000", "text", "1", "", "")], replaces=[])
    assert [d.doc_id for d in reader.documents()] == ["d1"]
    statements = []
    reader._connect().set_trace_callback(statements.append)
    reader.documents()
    assert not any("FROM documents" in sql for sql in statements)  # served from the cache
    writer.commit_document(row("d2", "Another"), [("d2-00000", "text", "1", "", "")], replaces=[])
    assert [d.doc_id for d in reader.documents()] == ["d2", "d1"]
    writer.update_document("d2", marking="CUI")
    assert [d.marking for d in reader.documents()] == ["CUI", None]


def test_term_shares_count_the_chunks_holding_each_term_and_follow_new_documents(tmp_path):
    index = KeywordIndex(tmp_path / "k.sqlite3")  # a match in any column counts (here the text)
    index.commit_document(row("d1", "Plan"), [("d1-00000", "security cooperation plan", "1", "", ""),
                                      ("d1-00001", "security assistance", "2", "", ""),
                                      ("d1-00002", "maritime patrol boats", "3", "", ""),
                                      ("d1-00003", "security forces", "4", "", "")], replaces=[])
    assert index.term_shares(['"security"', '"maritime"', '"absent"', '"security cooperation"']) == {
        '"security"': 0.75, '"maritime"': 0.25, '"absent"': 0.0, '"security cooperation"': 0.25}
    index.commit_document(row("d2", "Memo"), [("d2-00000", "maritime domain awareness", "1", "", "")], replaces=[])
    assert index.term_shares(['"maritime"']) == {'"maritime"': 0.4}
