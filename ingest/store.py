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

Several stores on one collection (a team on a Chroma server, each machine with its own
--store folder and so its own keyword index):
- each store has an id (a UUID kept in its folder, `store-id`); every chunk records the
  store that ingested it (`owner_store`) and the file's path, and "the same path" means the
  same path ingested by the same store, so two machines' /home/x/plan.pdf never replace each
  other, and `ingest --prune` removes only this store's documents (ingest/pipeline.py);
- after each change to the document set a writer replaces the collection's version stamp
  (ingest/stamp.py); a reader looks at it once per documents() call (one small get) and, when
  it moved, brings its index in line with Chroma's document set: ids (content hashes, so
  versions), type and marking, never counts (follow());
- writers are serialised by the local lock file (one store folder) and, on a server, by a
  lease kept in Chroma (ingest/lease.py), whose remaining race the stamp and reconcile()
  make safe.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from ingest import vector_store
from ingest.errors import UserError
from ingest.keyword_index import DocumentRow, KeywordIndex
from ingest.lease import ChromaLease, holder_name, sync_collection
from ingest.records import Chunk
from ingest.stamp import VersionStamp

DEFAULT_COLLECTION = "planassist"


def chunk_metadata(row: DocumentRow, chunk: Chunk) -> dict:
    # Chroma metadata cannot hold None: an unknown marking is stored as "".
    return {"doc_id": row.doc_id, "source": row.source, "path": row.path, "title": row.title,
            "doc_type": row.doc_type, "marking": row.marking or "", "pages": row.pages,
            "page_start": chunk.page_start, "page_end": chunk.page_end, "section": chunk.section,
            "heading_path": chunk.heading_path, "ordinal": chunk.ordinal, "chunk_count": row.chunks,
            "page_offsets": chunk.page_offsets, "ingested_at": row.ingested_at,
            "doc_identity": chunk.doc_identity, "owner_store": row.owner,
            **({"ocr": True} if chunk.ocr else {})}  # text recognised from a scanned page


def keyword_rows(ids, texts, sections, metadatas) -> list[tuple[str, str, str, str, str]]:
    """What the keyword index holds of each chunk: its text, paragraph id, heading path and
    its document's identity."""
    return [(i, t, s, m.get("heading_path", ""), m.get("doc_identity", ""))
            for i, t, s, m in zip(ids, texts, sections, metadatas)]


def row_from_metadata(metadata: dict) -> DocumentRow:
    return DocumentRow(doc_id=metadata["doc_id"], path=metadata.get("path", ""), source=metadata.get("source", ""),
                       title=metadata.get("title", ""), doc_type=metadata.get("doc_type", "other"),
                       marking=metadata.get("marking") or None, pages=int(metadata.get("pages", 0)),
                       chunks=int(metadata.get("chunk_count", 0)), ingested_at=metadata.get("ingested_at", ""),
                       owner=metadata.get("owner_store", ""))


def slot(metadata: dict) -> tuple[str, str]:
    """Where a document version lives: the store that ingested it and the file's path. Of
    the complete versions in one slot the newest is the document; the others are superseded."""
    return metadata.get("owner_store", ""), metadata.get("path", "")


def visible_versions(first: dict[str, dict], counts: dict[str, int]) -> tuple[dict[str, dict], list[str], list[str]]:
    """From each document's first chunk metadata and its chunk count in Chroma: the visible
    documents (complete and newest in their slot), the partial ones and the superseded ones."""
    complete = {d: m for d, m in first.items() if counts[d] == int(m.get("chunk_count", -1))}
    partial = [d for d in first if d not in complete]
    newest: dict[tuple[str, str], dict] = {}
    for metadata in complete.values():
        key = slot(metadata)
        if key not in newest or metadata.get("ingested_at", "") > newest[key].get("ingested_at", ""):
            newest[key] = metadata
    visible = {m["doc_id"]: m for m in newest.values()}
    superseded = [d for d in complete if d not in visible]
    return visible, partial, superseded


STORE_ID_FILE = "store-id"


def store_identity(store_dir: Path) -> str:
    """This store folder's id, made on first use (open with "x": two processes starting
    at once agree on the first one written)."""
    path = store_dir / STORE_ID_FILE
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(uuid.uuid4().hex + "\n")
    except FileExistsError:
        pass
    for _ in range(50):  # the file another process has just created may still be empty
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
        time.sleep(0.01)
    raise UserError(f"{path} is empty: delete it and this store gets a new id")


class Store:
    def __init__(self, store_dir: Path | str, embedding_name: str, collection: str = DEFAULT_COLLECTION,
                 chroma_url: str | None = None, reconcile_on_open: bool = True):
        self.store_dir = Path(store_dir)
        self.collection_name = collection
        self.chroma_url = chroma_url
        self.client = vector_store.open_client(self.store_dir, chroma_url)
        self.embedding_name = embedding_name
        self.collection = vector_store.open_collection(self.client, collection, embedding_name)
        self.sync = sync_collection(self.client, collection)
        self.stamp = VersionStamp(self.sync)
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.store_id = store_identity(self.store_dir)
        self.keywords = KeywordIndex(self.store_dir / f"keywords-{collection}.sqlite3")
        self._seen_stamp: str | None = None  # the stamp this process's Chroma client is known to match
        self._follow_lock = threading.Lock()
        self._lease: ChromaLease | None = None
        if reconcile_on_open:
            stamp = self.stamp.read()
            self._seen_stamp = stamp  # a client opened now matches it (a write below moves both on)
            if stamp != self.keywords.followed_stamp() or self.keywords.chunk_count() != self.collection.count():
                # The index lags Chroma (another machine wrote, a killed run, a deleted index
                # file). Clearing leftovers needs the writer lock: reconciling beside a running
                # ingest would delete the chunks it has written but not yet registered. When
                # another writer holds it, follow its visible documents only.
                try:
                    with self.writer_lock(0):
                        self.reconcile()
                except UserError:
                    self.follow_collection(stamp)

    # --- reading ---------------------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        """The visible documents, after catching up with any change another process or
        machine made. When nothing changed that is one small Chroma get: measured 1 ms
        embedded and 22 ms over HTTP on a loaded 2-core machine, where scanning the bundled
        corpus's 642 chunks took 540 ms. Every search starts here, so once per question."""
        self.follow()
        return self.keywords.documents()

    def owns(self, doc: DocumentRow) -> bool:
        """Did this store ingest the document? A document from before stores had ids counts
        as this store's only in an embedded store (nobody else can have written it)."""
        return doc.owner == self.store_id or (not doc.owner and self.chroma_url is None)

    def find_document(self, ref: str) -> DocumentRow:
        """A document by id (or a unique id prefix), file name, path or title."""
        from ingest.reader import StoreReader  # the one lookup, shared with the profile-scoped reads

        return StoreReader(self).find_document(ref)

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
    def write_document(self, row: DocumentRow, chunks: list[Chunk], vectors, glossary=(),
                       sentences: list[dict] | None = None) -> list[str]:
        """Store a complete document, replacing any other version this store ingested from
        the same path. Returns the ids of the versions it replaced. `sentences`: each chunk's
        sentence vectors as metadata (ingest/sentence_vectors.py), when the embedder made them."""
        if not row.owner:
            row = dataclasses.replace(row, owner=self.store_id)
        extra = sentences or [{} for _ in chunks]
        return self.write_rows(row, [c.chunk_id for c in chunks], vectors, [c.text for c in chunks],
                               [{**chunk_metadata(row, c), **more} for c, more in zip(chunks, extra)],
                               [c.section for c in chunks], glossary)

    def write_rows(self, row: DocumentRow, ids: list[str], vectors, texts: list[str], metadatas: list[dict],
                   sections: list[str], glossary=()) -> list[str]:
        """The write protocol on ready rows (ingestion, and import of an export)."""
        replaced = [d.doc_id for d in self.keywords.documents_at(row.path)
                    if d.doc_id != row.doc_id and d.owner == row.owner]
        vector_store.add(self.collection, list(ids), [list(map(float, v)) for v in vectors], list(texts),
                         list(metadatas))
        self._check_lease()  # a writer that lost its lease leaves what it added invisible
        self.keywords.commit_document(row, keyword_rows(ids, texts, sections, metadatas), replaces=replaced,
                                      glossary=list(glossary))
        vector_store.delete_documents(self.collection, replaced)
        self._changed()
        return replaced

    def update_chunk_metadata(self, ids: list[str], metadatas: list[dict]) -> None:
        """Add fields to chunks' metadata (Chroma merges them into what is there); the document
        set does not change, so no new version stamp."""
        self._check_lease()
        rows = [(i, m) for i, m in zip(ids, metadatas) if m]
        for start in range(0, len(rows), vector_store.PAGE):
            page = rows[start:start + vector_store.PAGE]
            self.collection.update(ids=[i for i, _ in page], metadatas=[m for _, m in page])

    def remove_document(self, doc_id: str) -> None:
        self._check_lease()
        self.keywords.remove_document(doc_id)  # invisible first, then gone
        vector_store.delete_documents(self.collection, [doc_id])
        self._changed()

    def set_document_fields(self, doc_id: str, **fields) -> None:
        """Change a document's type or marking in Chroma (the truth) and in the index."""
        allowed = {k: v for k, v in fields.items() if k in ("doc_type", "marking") and v is not None}
        ids = [i for i, _, _ in vector_store.iterate(self.collection, where={"doc_id": doc_id}, include=())]
        if ids:
            self.collection.update(ids=ids, metadatas=[{k: (v or "") for k, v in allowed.items()}] * len(ids))
        self.keywords.update_document(doc_id, **allowed)
        self._changed()

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
        Chroma. Only under the writer lock. Returns the doc ids removed as partial and as
        superseded."""
        stamp = self.stamp.read()
        visible, partial, superseded = visible_versions(*self._scan())
        vector_store.delete_documents(self.collection, partial + superseded)
        changed = self._apply(visible)
        self.keywords.set_followed_stamp(stamp)
        if partial or superseded or changed:
            self._changed()
        return {"partial": partial, "superseded": superseded}

    def follow(self) -> None:
        """Catch up with changes made by another process or machine, if the collection's
        version stamp moved since this process last looked."""
        stamp = self.stamp.read()
        if stamp == self._seen_stamp:
            return
        with self._follow_lock:  # one session catches up; the others wait for it
            if stamp == self._seen_stamp:
                return
            if self._seen_stamp is not None and self.chroma_url is None:
                self._reopen_client()  # another process wrote the embedded store: see _reopen_client
            if stamp != self.keywords.followed_stamp():
                self.follow_collection(stamp)
            self._seen_stamp = stamp

    def follow_collection(self, stamp: str) -> None:
        """Bring the index in line with Chroma's visible documents, changing nothing in
        Chroma (a writer elsewhere may be between the steps of its protocol: a version it
        has not finished is not complete, so it is not visible yet). `stamp` is the stamp
        read before the scan: a change made during the scan moves it again, and the next
        look catches up once more."""
        self._apply(visible_versions(*self._scan())[0])
        self.keywords.set_followed_stamp(stamp)

    def _apply(self, visible: dict[str, dict]) -> bool:
        """Make the registry hold exactly the `visible` versions with their type and marking
        (Chroma's metadata); returns whether anything changed."""
        registry = {d.doc_id: d for d in self.keywords.documents()}
        for doc_id in registry.keys() - visible.keys():
            self.keywords.remove_document(doc_id)
        for doc_id in visible.keys() - registry.keys():
            self._index_from_chroma(doc_id)
        relabelled = 0
        for doc_id in visible.keys() & registry.keys():
            truth = row_from_metadata(visible[doc_id])
            if (truth.doc_type, truth.marking) != (registry[doc_id].doc_type, registry[doc_id].marking):
                self.keywords.update_document(doc_id, doc_type=truth.doc_type, marking=truth.marking)
                relabelled += 1
        return bool(registry.keys() ^ visible.keys()) or relabelled > 0

    def _changed(self) -> None:
        """After a change to the document set: a new version stamp, which this process and
        its index are known to match when they matched the stamp it replaces."""
        previous, new = self.stamp.bump()
        if previous == self.keywords.followed_stamp():
            self.keywords.set_followed_stamp(new)
        if previous == self._seen_stamp:
            self._seen_stamp = new

    def _reopen_client(self) -> None:
        """A new embedded Chroma client on the same folder. Measured: a PersistentClient keeps
        its HNSW index in memory, so after another process (the CLI beside the app) writes the
        folder, its queries fail with "InternalError: Error finding id" until the process
        restarts. Chroma caches one System per path for the process, and stopping that one
        would break the queries other sessions are running on it, so the cache entry is
        dropped (not stopped) and the old client is left to the sessions still using it."""
        from chromadb.api.shared_system_client import SharedSystemClient

        # the cache's key (SharedSystemClient._get_identifier_from_settings); old Collection
        # objects keep the ServerAPI of the old System, so queries running on them finish
        SharedSystemClient._identifier_to_system.pop(os.path.realpath(self.store_dir / "chroma"), None)
        self.client = vector_store.open_client(self.store_dir, None)
        self.collection = vector_store.open_collection(self.client, self.collection_name, self.embedding_name)
        self.sync = sync_collection(self.client, self.collection_name)
        self.stamp = VersionStamp(self.sync)

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
        self.keywords.commit_document(row, keyword_rows([i for i, _, _ in rows], texts,
                                                        [m.get("section", "") for _, _, m in rows],
                                                        [m for _, _, m in rows]),
                                      replaces=[], glossary=extract_glossary(texts))

    # --- one writer at a time ----------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.store_dir / f"ingest-{self.collection_name}.lock"

    @contextlib.contextmanager
    def writer_lock(self, wait_seconds: float = 0):
        """Exclusive right to write this collection; another writer waits up to
        wait_seconds, then gets a clear refusal. The lock file covers the processes on this
        store folder (and so every writer of an embedded store, whose Chroma lives in the
        folder); on a Chroma server, writers on other machines are held off by the lease."""
        started = time.monotonic()
        with self._folder_lock(wait_seconds):
            if self.chroma_url is None:
                yield
                return
            lease = ChromaLease(self.sync, self.collection_name, holder_name(self.store_id))
            lease.acquire(max(0.0, wait_seconds - (time.monotonic() - started)))
            self._lease = lease
            try:
                yield
            finally:
                self._lease = None
                lease.release()

    def _check_lease(self) -> None:
        if self._lease is not None:
            self._lease.assert_held()

    @contextlib.contextmanager
    def _folder_lock(self, wait_seconds: float):
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
