"""The store: a Chroma collection (source of truth) and its derived keyword index, kept in
step by one write protocol.

Writing a document:
1. its chunks go into Chroma under ids derived from its content hash (old chunks untouched);
2. one SQLite transaction makes it visible and its previous version invisible;
3. the previous version's chunks leave Chroma.
Readers only see documents registered as visible, so a search never meets half a document,
and the old version answers questions until the new one is complete. A run killed between
the steps leaves rows in Chroma that reconcile() recognises and clears: a document is complete
when Chroma holds all `chunk_count` of its chunks, and of complete documents at one path the
newest wins. Both facts live in Chroma's metadata, which is why the index can be rebuilt.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections import defaultdict
from pathlib import Path

from ingest import vector_store
from ingest.errors import UserError
from ingest.keyword_index import DocumentRow, KeywordIndex
from ingest.records import Chunk

DEFAULT_COLLECTION = "planassist"


def chunk_metadata(row: DocumentRow, chunk: Chunk) -> dict:
    # Chroma metadata cannot hold None: an unknown marking is stored as "".
    return {"doc_id": row.doc_id, "source": row.source, "path": row.path, "title": row.title,
            "doc_type": row.doc_type, "marking": row.marking or "", "pages": row.pages,
            "page_start": chunk.page_start, "page_end": chunk.page_end, "section": chunk.section,
            "heading_path": chunk.heading_path, "ordinal": chunk.ordinal, "chunk_count": row.chunks,
            "page_offsets": chunk.page_offsets, "ingested_at": row.ingested_at,
            **({"ocr": True} if chunk.ocr else {})}  # text recognised from a scanned page


def row_from_metadata(metadata: dict) -> DocumentRow:
    return DocumentRow(doc_id=metadata["doc_id"], path=metadata.get("path", ""), source=metadata.get("source", ""),
                       title=metadata.get("title", ""), doc_type=metadata.get("doc_type", "other"),
                       marking=metadata.get("marking") or None, pages=int(metadata.get("pages", 0)),
                       chunks=int(metadata.get("chunk_count", 0)), ingested_at=metadata.get("ingested_at", ""))


class Store:
    def __init__(self, store_dir: Path | str, embedding_name: str, collection: str = DEFAULT_COLLECTION,
                 chroma_url: str | None = None, reconcile_on_open: bool = True):
        self.store_dir = Path(store_dir)
        self.collection_name = collection
        self.chroma_url = chroma_url
        self.client = vector_store.open_client(self.store_dir, chroma_url)
        self.collection = vector_store.open_collection(self.client, collection, embedding_name)
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.keywords = KeywordIndex(self.store_dir / f"keywords-{collection}.sqlite3")
        if reconcile_on_open and self.keywords.chunk_count() != self.collection.count():
            # The index lags Chroma (a killed run, a shared server, a deleted index file).
            # Only under the writer lock: reconciling beside a running ingest would delete the
            # chunks it has written but not yet registered. A running ingest reconciles itself.
            try:
                with self.writer_lock(0):
                    self.reconcile()
            except UserError:
                pass

    # --- reading ---------------------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        return self.keywords.documents()

    def find_document(self, ref: str) -> DocumentRow:
        """A document by id (or a unique id prefix), file name, path or title."""
        docs = self.documents()
        for test in (lambda d: d.doc_id == ref, lambda d: d.source == ref or d.path == ref,
                     lambda d: d.title == ref, lambda d: d.doc_id.startswith(ref) and len(ref) >= 6):
            found = [d for d in docs if test(d)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise UserError(f"'{ref}' matches {len(found)} documents; use the document id")
        raise UserError(f"no document '{ref}' in the store (see `planassist docs`)")

    def get_chunks(self, chunk_ids: list[str]) -> dict[str, tuple[str, dict]]:
        if not chunk_ids:
            return {}
        got = self.collection.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return {i: (d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def document_chunks(self, doc_id: str) -> list[tuple[str, str, dict]]:
        rows = [(i, d or "", m) for i, m, d in vector_store.iterate(
            self.collection, where={"doc_id": doc_id}, include=("metadatas", "documents"))]
        return sorted(rows, key=lambda r: r[2].get("ordinal", 0))

    # --- writing ---------------------------------------------------------------------
    def write_document(self, row: DocumentRow, chunks: list[Chunk], vectors, glossary=()) -> list[str]:
        """Store a complete document, replacing any other version at the same path.
        Returns the ids of the versions it replaced."""
        return self.write_rows(row, [c.chunk_id for c in chunks], vectors, [c.text for c in chunks],
                               [chunk_metadata(row, c) for c in chunks], [c.section for c in chunks], glossary)

    def write_rows(self, row: DocumentRow, ids: list[str], vectors, texts: list[str], metadatas: list[dict],
                   sections: list[str], glossary=()) -> list[str]:
        """The write protocol on ready rows (ingestion, and import of an export)."""
        replaced = [d.doc_id for d in self.keywords.documents_at(row.path) if d.doc_id != row.doc_id]
        vector_store.add(self.collection, list(ids), [list(map(float, v)) for v in vectors], list(texts),
                         list(metadatas))
        self.keywords.commit_document(row, list(zip(ids, texts, sections)), replaces=replaced,
                                      glossary=list(glossary))
        vector_store.delete_documents(self.collection, replaced)
        return replaced

    def remove_document(self, doc_id: str) -> None:
        self.keywords.remove_document(doc_id)  # invisible first, then gone
        vector_store.delete_documents(self.collection, [doc_id])

    def set_document_fields(self, doc_id: str, **fields) -> None:
        """Change a document's type or marking in Chroma (the truth) and in the index."""
        allowed = {k: v for k, v in fields.items() if k in ("doc_type", "marking") and v is not None}
        ids = [i for i, _, _ in vector_store.iterate(self.collection, where={"doc_id": doc_id}, include=())]
        if ids:
            self.collection.update(ids=ids, metadatas=[{k: (v or "") for k, v in allowed.items()}] * len(ids))
        self.keywords.update_document(doc_id, **allowed)

    # --- consistency -----------------------------------------------------------------
    def _scan(self) -> tuple[dict[str, dict], dict[str, int]]:
        first: dict[str, dict] = {}
        counts: dict[str, int] = defaultdict(int)
        for _, metadata, _ in vector_store.iterate(self.collection):
            doc_id = metadata.get("doc_id")
            if doc_id:
                first.setdefault(doc_id, metadata)
                counts[doc_id] += 1
        return first, counts

    def reconcile(self) -> dict[str, list[str]]:
        """Clear what an interrupted write left behind and bring the index in line with
        Chroma. Returns the doc ids removed as partial and as superseded."""
        first, counts = self._scan()
        complete = {d: m for d, m in first.items() if counts[d] == int(m.get("chunk_count", -1))}
        partial = [d for d in first if d not in complete]
        newest: dict[str, dict] = {}
        for metadata in complete.values():
            path = metadata.get("path", "")
            if path not in newest or metadata.get("ingested_at", "") > newest[path].get("ingested_at", ""):
                newest[path] = metadata
        superseded = [d for d, m in complete.items() if newest[m.get("path", "")]["doc_id"] != d]
        vector_store.delete_documents(self.collection, partial + superseded)
        visible = {m["doc_id"] for m in newest.values()}
        indexed = {d.doc_id for d in self.keywords.documents()}
        for doc_id in indexed - visible:
            self.keywords.remove_document(doc_id)
        for doc_id in visible - indexed:
            self._index_from_chroma(doc_id)
        return {"partial": partial, "superseded": superseded}

    def rebuild_keywords(self) -> int:
        """Rebuild the whole keyword index from Chroma; returns the documents indexed."""
        self.keywords.clear()
        self.reconcile()
        return len(self.keywords.documents())

    def _index_from_chroma(self, doc_id: str) -> None:
        from ingest.glossary import extract_glossary

        rows = self.document_chunks(doc_id)
        if not rows:
            return
        row = row_from_metadata(rows[0][2])
        texts = [text for _, text, _ in rows]
        self.keywords.commit_document(row, [(i, text, m.get("section", "")) for i, text, m in rows],
                                      replaces=[], glossary=extract_glossary(texts))

    # --- one writer at a time ----------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.store_dir / f"ingest-{self.collection_name}.lock"

    @contextlib.contextmanager
    def writer_lock(self, wait_seconds: float = 0):
        """Exclusive right to write this collection; another writer waits up to
        wait_seconds, then gets a clear refusal."""
        handle = open(self.lock_path, "a+")
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise UserError(f"another ingest is writing to this store ({holder}); "
                                    "wait for it to finish or pass --wait SECONDS")
                time.sleep(0.5)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
