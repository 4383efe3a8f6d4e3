"""The one way to read the store, and the one place need-to-know is enforced.

`StoreReader(store)` reads everything; `reader.visible_to(profile)` returns the same interface
already narrowed to the documents the profile may see (assistant/access/profiles.py decides which).
Retrieval, cross-references, the glossary, drafting, mapping, evaluation, export, the CLI and
the app read only through it, so a document above a profile's access is never scored, named,
quoted, expanded as an acronym or exported for it. Store's raw Chroma collection and keyword
index are for ingest/ (writing, checking) only.

Non-interference: what a view returns must not depend on the documents it hides.
- Dense search asks Chroma for the top n *with* a `doc_id $in visible` filter, so the hidden
  documents never take candidate places (top n then filtering would).
- Keyword scores: FTS5's bm25 takes its IDF and average length from the whole table, so a
  hidden document shifts a visible passage's score. Measured on the leak matrix's store (8
  questions, compared with a store holding only the visible documents): with the filter inside
  the shared FTS table, fused scores differed for 2/8 questions (UNCLASSIFIED reader) and 7/8
  (SECRET reader), and the passage order for 1; with the visible-only index, 0/8 and 0/8.
  A narrowed view therefore searches its own keyword index holding only
  its documents (a KeywordIndex file built from the shared one, rows in their original
  order), so its bm25 is exactly that of a store holding only those documents. It is built
  once per (visible set, store version) and shared by every view with that set; the glossary
  and the paragraph list come from it too. SQLite cannot take a Python bm25 (FTS5 auxiliary
  functions are C only), which is why it is a copy and not a custom rank.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Iterator

from ingest import vector_store
from ingest.errors import UserError
from ingest.keyword_index import DocumentRow, KeywordIndex

MAX_VIEW_INDEXES = 8  # distinct visible sets kept built at once (one per access level in practice)


def _chunk_doc_id(chunk_id: str) -> str:
    from ingest.chunking import doc_id_of

    return doc_id_of(chunk_id)


class StoreReader:
    """Reads of one store, narrowed to `visible` document ids when given (None: all)."""

    def __init__(self, store, profile=None, _parent: "StoreReader | None" = None):
        self._store = store
        self.profile = profile
        self._parent = _parent  # the view this one narrows (None: the whole store)
        self._base = _parent._base if _parent is not None else self
        self._visible: frozenset[str] | None = None  # None: every document
        if _parent is None:
            self._views: dict[tuple, tuple[KeywordIndex, Path]] = {}
            self._lock = threading.Lock()
        else:
            self.documents()  # the visible set as the store stands now

    # --- scoping ----------------------------------------------------------------------
    def visible_to(self, profile) -> "StoreReader":
        """This reader narrowed to what `profile` may see (None: no further limit). A view
        never widens: on a view it narrows that view's documents. The visible set follows
        the store: documents() (where every search starts) works it out again, so a reader
        kept for a long time (the app's, per profile) neither misses a document added since
        nor sees one above the profile's access."""
        if profile is None:
            return self
        return StoreReader(self._store, profile, self)

    @property
    def _index(self) -> KeywordIndex:
        """The keyword index of what this reader sees, built on first use (listing documents
        or checking a curator's change needs none)."""
        if self._visible is None:
            return self._store.keywords
        return self._base._view_index(self._visible)

    def _view_index(self, visible: frozenset[str]) -> KeywordIndex:
        source = self._store.keywords
        key = (visible, source.version())
        with self._lock:
            if key in self._views:
                return self._views[key][0]
            folder = Path(tempfile.mkdtemp(prefix="planassist-view-"))
            atexit.register(shutil.rmtree, folder, True)
            index = KeywordIndex(folder / "keywords.sqlite3")
            db = source._connect()
            # documents in the order their rows entered the shared index, so ties and bm25
            # match a store that was given only these documents
            order = [doc_id for (doc_id,) in db.execute(
                "SELECT doc_id FROM chunk_text GROUP BY doc_id ORDER BY MIN(rowid)")]
            for doc_id in order:
                row = source.document(doc_id)
                if row is None or doc_id not in visible:
                    continue
                # the rows as commit_document takes them (keep in step with keyword_index.SCHEMA)
                chunks = db.execute("SELECT chunk_id, text, section, heading, identity FROM chunk_text "
                                    "WHERE doc_id = ? ORDER BY rowid", (doc_id,)).fetchall()
                glossary = db.execute("SELECT acronym, expansion FROM glossary WHERE doc_id = ? ORDER BY rowid",
                                      (doc_id,)).fetchall()
                index.commit_document(row, chunks, replaces=[], glossary=glossary)
            stale = [k for k in self._views if k[0] == visible]  # this set at an older store version
            stale += [k for k in list(self._views)[:max(0, len(self._views) - MAX_VIEW_INDEXES + 1)] if k not in stale]
            for old_key in stale:
                shutil.rmtree(self._views.pop(old_key)[1], ignore_errors=True)
            self._views[key] = (index, folder)
            return index

    @property
    def restricted(self) -> bool:
        return self._visible is not None

    def may_see(self, doc_id: str) -> bool:
        return self._visible is None or doc_id in self._visible

    @property
    def store_dir(self) -> Path:
        return self._store.store_dir

    @property
    def store(self):
        """The underlying Store, for writes (ingest, remove, set type and marking) only."""
        return self._store

    @property
    def embedding_model(self) -> str | None:
        return (self._store.collection.metadata or {}).get("embedding_model")

    # --- documents --------------------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        """The visible documents, after catching up with changes other processes made
        (Store.documents), and this view's visible set worked out again from them."""
        if self._parent is None:
            return self._store.documents()
        everything = self._store.documents()
        rows = [d for d in self._parent.documents() if self.profile.allowed(d.marking)]
        self._visible = None if len(rows) == len(everything) else frozenset(d.doc_id for d in rows)
        return rows

    def find_document(self, ref: str) -> DocumentRow:
        """A visible document by id (or a unique id prefix of 6+), file name, path or title.
        A hidden document and a missing one get the same reply."""
        docs = self.documents()
        for test in (lambda d: d.doc_id == ref, lambda d: d.source == ref or d.path == ref,
                     lambda d: d.title == ref, lambda d: d.doc_id.startswith(ref) and len(ref) >= 6):
            found = [d for d in docs if test(d)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise UserError(f"'{ref}' matches {len(found)} documents; use the document id")
        raise UserError(f"no document '{ref}' in the store (see `planassist docs`)")

    def version(self) -> tuple:
        return self._store.keywords.version()

    # --- derived reads ----------------------------------------------------------------
    def glossary(self) -> list[tuple[str, str, int]]:
        """(acronym, expansion, documents defining it) from the visible documents only."""
        return self._index.glossary()

    def sections(self) -> set[tuple[str, str]]:
        return {(d, s) for d, s in self._index.sections() if self.may_see(d)}

    # --- search -----------------------------------------------------------------------
    def dense_search(self, vector, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine distance) nearest first, among `doc_ids` (None: all visible).
        The visibility filter goes inside Chroma, so hidden chunks never take a place."""
        if doc_ids is None and self._visible is not None:
            doc_ids = sorted(self._visible)
        if doc_ids is not None:
            doc_ids = [d for d in doc_ids if self.may_see(d)]
            if not doc_ids:
                return []
        where = None
        if doc_ids is not None:
            where = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        got = self._store.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return list(zip(got["ids"][0], got["distances"][0]))

    def keyword_search(self, match: str, limit: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, bm25 negated) best first; the statistics are the visible set's own."""
        if doc_ids is not None:
            doc_ids = [d for d in doc_ids if self.may_see(d)]
        return self._index.search(match, limit, doc_ids=doc_ids)

    def term_shares(self, terms: list[str]) -> dict[str, float]:
        """Each FTS5 term's share of the chunks holding it, in this reader's keyword index."""
        return self._index.term_shares(terms)

    def chunks(self, chunk_ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Text and metadata by chunk id, for visible chunks only."""
        return self._store.get_chunks([c for c in chunk_ids if self.may_see(_chunk_doc_id(c))])

    def embeddings(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        ids = [c for c in chunk_ids if self.may_see(_chunk_doc_id(c))]
        if not ids:
            return {}
        got = self._store.collection.get(ids=ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"]))

    def document_chunks(self, doc_id: str) -> list[tuple[str, str, dict]]:
        return self._store.document_chunks(doc_id) if self.may_see(doc_id) else []

    def document_sections(self, doc_id: str) -> list[tuple[str, str]]:
        """(chunk_id, paragraph id) of a visible document's chunks, in order."""
        return self._store.keywords.document_sections(doc_id) if self.may_see(doc_id) else []

    def paragraph(self, doc_id: str, section: str) -> list[tuple[str, str, dict]]:
        """(chunk_id, text, metadata) of one paragraph of a visible document, in order."""
        if not self.may_see(doc_id):
            return []
        got = self._store.collection.get(where={"$and": [{"doc_id": doc_id}, {"section": section}]},
                                         include=["documents", "metadatas"])
        rows = [(i, d or "", m or {}) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(rows, key=lambda row: row[2].get("ordinal", 0))

    def chunk_texts(self) -> Iterator[str]:
        """Every visible chunk's text (objectives from the corpus)."""
        visible = {d.doc_id for d in self.documents()}
        for _, metadata, text in vector_store.iterate(self._store.collection, include=("metadatas", "documents")):
            if metadata.get("doc_id") in visible:
                yield text or ""

    def export_rows(self, doc_id: str) -> dict:
        """A visible document's Chroma rows with vectors, for export."""
        if not self.may_see(doc_id):
            return {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
        return self._store.collection.get(where={"doc_id": doc_id},
                                          include=["documents", "metadatas", "embeddings"])


def reader_of(store_or_reader) -> StoreReader:
    """A StoreReader for a Store (reading everything) or the reader itself."""
    return store_or_reader if isinstance(store_or_reader, StoreReader) else StoreReader(store_or_reader)
