"""The derived side of the store, in SQLite: the FTS5 keyword index of chunk text, the
register of documents that are complete and visible, and the acronym glossary.

Chroma's own sparse (BM25) index is refused by the embedded and local Chroma, so keyword
search comes from SQLite's FTS5 with bm25(), which the standard library carries. Everything
here can be rebuilt from Chroma (Store.rebuild_keywords).

Each chunk is indexed with its heading path (a statute's "(e) Notice and Wait on Activities
Under Programs" carries the meaning of the short paragraphs below it) and its document's
identity ("DoDI 5132.03; 5132.03; SAMM"), each a column of its own so that bm25 weighs them
apart from the text."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
    doc_type TEXT NOT NULL, marking TEXT, pages INTEGER NOT NULL, chunks INTEGER NOT NULL,
    ingested_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_text USING fts5(
    text, title, section, heading, identity, chunk_id UNINDEXED, doc_id UNINDEXED,
    tokenize = 'porter unicode61');
CREATE TABLE IF NOT EXISTS glossary (
    acronym TEXT NOT NULL, expansion TEXT NOT NULL, doc_id TEXT NOT NULL,
    PRIMARY KEY (acronym, expansion, doc_id));
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

DOCUMENT_COLUMNS = "doc_id, path, source, title, doc_type, marking, pages, chunks, ingested_at, owner"

# bm25 weight of each column: text, title, section, heading path, document identity
BM25_WEIGHTS = "1.0, 0.3, 0.5, 0.5, 0.3"


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    path: str
    source: str
    title: str
    doc_type: str
    marking: str | None
    pages: int
    chunks: int
    ingested_at: str
    owner: str = ""  # the id of the store that ingested it ("" before stores had ids)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class KeywordIndex:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per thread: the app answers several sessions at once.
        self._local = threading.local()
        # Read once per generation (version()), not on every search: the register and the
        # terms' document counts (a dict read or written whole by one assignment, so threads
        # share it without a lock).
        self._cached: dict = {}
        with self._connect() as db:
            self._drop_outdated(db)
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
            if "owner" not in columns:  # an index made before documents had owners
                db.execute("ALTER TABLE documents ADD COLUMN owner TEXT NOT NULL DEFAULT ''")

    @staticmethod
    def _drop_outdated(db: sqlite3.Connection) -> None:
        """An index written before the heading and identity columns existed is dropped whole
        (documents and glossary too), so that Store.reconcile rebuilds it from Chroma."""
        try:
            columns = [row[1] for row in db.execute("PRAGMA table_info(chunk_text)")]
        except sqlite3.OperationalError:
            return
        if columns and "identity" not in columns:
            db.executescript("DROP TABLE chunk_text; DROP TABLE IF EXISTS documents; "
                             "DROP TABLE IF EXISTS glossary;")

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    # --- documents -------------------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        """The register, read again only when its generation moved: every search starts
        here, and reading 316 rows took 2.9 ms of a 50 ms search (linear in documents)."""
        cache = self._generation_cache()
        if "documents" not in cache:
            rows = self._connect().execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY title").fetchall()
            cache["documents"] = [DocumentRow(*row) for row in rows]
        return list(cache["documents"])

    def _generation_cache(self) -> dict:
        generation = self.version()
        cache = self._cached
        if cache.get("generation") != generation:
            cache = {"generation": generation, "frequencies": {}}
            self._cached = cache
        return cache

    def document(self, doc_id: str) -> DocumentRow | None:
        row = self._connect().execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE doc_id = ?",
                                      (doc_id,)).fetchone()
        return DocumentRow(*row) if row else None

    def documents_at(self, path: str) -> list[DocumentRow]:
        """The versions registered at one path: an indexed lookup (documents_path), so a write
        costs the same in a library of 300 documents as in one of 100,000."""
        rows = self._connect().execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE path = ?",
                                       (path,)).fetchall()
        return [DocumentRow(*row) for row in rows]

    def commit_document(self, row: DocumentRow, chunks: list[tuple[str, str, str]],
                        replaces: list[str], glossary: list[tuple[str, str]] = ()) -> None:
        """Make a document visible and its predecessors invisible, in one transaction.
        `chunks` are (chunk_id, text, section, heading_path, doc_identity)."""
        db = self._connect()
        with db:
            for old in replaces:
                self._delete(db, old)
            self._delete(db, row.doc_id)
            db.execute("INSERT INTO documents (doc_id, path, source, title, doc_type, marking, pages, chunks, "
                       "ingested_at, owner) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (row.doc_id, row.path, row.source, row.title, row.doc_type, row.marking,
                        row.pages, row.chunks, row.ingested_at, row.owner))
            db.executemany("INSERT INTO chunk_text (text, title, section, heading, identity, chunk_id, doc_id) "
                           "VALUES (?,?,?,?,?,?,?)",
                           [(text, row.title, section, heading, identity, chunk_id, row.doc_id)
                            for chunk_id, text, section, heading, identity in chunks])
            db.executemany("INSERT OR IGNORE INTO glossary VALUES (?,?,?)",
                           [(a, e, row.doc_id) for a, e in glossary])
            self._next_generation(db)

    def remove_document(self, doc_id: str) -> None:
        db = self._connect()
        with db:
            self._delete(db, doc_id)
            self._next_generation(db)

    @staticmethod
    def _delete(db: sqlite3.Connection, doc_id: str) -> None:
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM chunk_text WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM glossary WHERE doc_id = ?", (doc_id,))

    def update_document(self, doc_id: str, **fields) -> None:
        allowed = {"doc_type", "marking", "title"}
        sets = {k: v for k, v in fields.items() if k in allowed}
        if not sets:
            return
        db = self._connect()
        with db:
            db.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in sets)} WHERE doc_id = ?",
                       (*sets.values(), doc_id))
            self._next_generation(db)

    def clear(self) -> None:
        db = self._connect()
        with db:
            db.execute("DELETE FROM documents")
            db.execute("DELETE FROM chunk_text")
            db.execute("DELETE FROM glossary")
            db.execute("DELETE FROM sync_state WHERE key = 'followed_stamp'")  # nothing followed any more
            self._next_generation(db)

    def chunk_ids_by_document(self) -> dict[str, set[str]]:
        """Every keyword row's chunk id, by document (for `planassist check`)."""
        found: dict[str, set[str]] = {}
        for chunk_id, doc_id in self._connect().execute("SELECT chunk_id, doc_id FROM chunk_text"):
            found.setdefault(doc_id, set()).add(chunk_id)
        return found

    def sections(self) -> set[tuple[str, str]]:
        """Every (doc_id, paragraph) that has text: cross-references are looked up only
        when the paragraph they name exists."""
        return set(self._connect().execute("SELECT DISTINCT doc_id, section FROM chunk_text"))

    def version(self) -> tuple:
        """Changes whenever a document is added, replaced, removed or relabelled, by this
        process or another one on the same index file: what readers key caches of the whole
        index on. A counter raised in the changing transaction itself, since aggregates
        (count, chunk total, newest date) can come out equal for a different document set."""
        return (self._state("generation") or "0",)

    # --- which version of the collection the index follows (ingest/stamp.py) -----------
    def followed_stamp(self) -> str | None:
        """The collection's version stamp this index was last brought in line with."""
        return self._state("followed_stamp")

    def set_followed_stamp(self, stamp: str) -> None:
        db = self._connect()
        with db:
            db.execute("INSERT OR REPLACE INTO sync_state VALUES ('followed_stamp', ?)", (stamp,))

    def _state(self, key: str) -> str | None:
        row = self._connect().execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _next_generation(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO sync_state VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE "
                   "SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")

    def document_sections(self, doc_id: str) -> list[tuple[str, str]]:
        """(chunk_id, paragraph id) of a document's chunks in their order (a chunk id ends in
        its ordinal, zero-padded): the outline, without reading text or metadata from Chroma."""
        rows = self._connect().execute("SELECT chunk_id, section FROM chunk_text WHERE doc_id = ?",
                                       (doc_id,)).fetchall()
        return sorted(rows)

    def chunk_count(self) -> int:
        return self._connect().execute("SELECT COALESCE(SUM(chunks), 0) FROM documents").fetchone()[0]

    # --- search ----------------------------------------------------------------------
    def term_shares(self, terms: list[str]) -> dict[str, float]:
        """The share of indexed chunks that match each FTS5 term ('"word"' or a quoted
        phrase), cached per generation: a count from the term's doclist, 0.05-0.1 ms."""
        cache = self._generation_cache()
        frequencies = cache["frequencies"]
        db = self._connect()
        if "rows" not in cache:
            cache["rows"] = db.execute("SELECT COUNT(*) FROM chunk_text").fetchone()[0]
        rows = cache["rows"] or 1
        shares = {}
        for term in terms:
            if term not in frequencies:
                try:
                    frequencies[term] = db.execute("SELECT COUNT(*) FROM chunk_text WHERE chunk_text MATCH ?",
                                                   (term,)).fetchone()[0]
                except sqlite3.OperationalError:
                    frequencies[term] = 0  # a term FTS5 cannot parse matches nothing
            shares[term] = frequencies[term] / rows
        return shares

    def search(self, match: str, limit: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, score) best first for an FTS5 MATCH expression; the score is bm25
        negated, so larger is better."""
        sql = (f"SELECT chunk_id, -bm25(chunk_text, {BM25_WEIGHTS}) AS score FROM chunk_text "
               "WHERE chunk_text MATCH ?")
        params: list = [match]
        if doc_ids is not None:
            if not doc_ids:
                return []
            sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
            params.extend(doc_ids)
        sql += " ORDER BY score DESC LIMIT ?"
        params.append(limit)
        try:
            return self._connect().execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing by keyword; dense search still runs

    def glossary(self) -> list[tuple[str, str, int]]:
        return self._connect().execute(
            "SELECT acronym, expansion, COUNT(*) AS n FROM glossary GROUP BY acronym, expansion "
            "ORDER BY acronym, n DESC").fetchall()
