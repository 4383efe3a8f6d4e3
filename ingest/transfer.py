"""`planassist export FILE` / `planassist import FILE`: a whole collection between stores and
machines (embedded store to a Chroma server, one laptop to another).

The file is a ZIP archive, readable without this product:
  manifest.json     format name and version, embedding model, vector size, counts, and the
                    sha256 of each member
  documents.jsonl   the registry: one DocumentRow per visible document
  chunks.jsonl      one {"id", "document", "metadata"} per chunk, in the order of the vectors
  vectors.npy       float32 [chunks x dimensions], numpy's own format
Only visible documents travel (no partial or superseded versions). Import writes each document
through the store's write protocol (Chroma first, then one index transaction, then the
replaced version leaves), so a killed import leaves whole documents too, and importing the
same file twice changes nothing. The embedding model must match the target collection's:
vectors from another model would make distances meaningless.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import UserError
from ingest.keyword_index import DocumentRow

FORMAT = "planassist-export"
VERSION = 1
MEMBERS = ("documents.jsonl", "chunks.jsonl", "vectors.npy")


@dataclass
class TransferReport:
    documents: int = 0
    chunks: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "seconds": round(self.seconds, 2)}


def export_store(store, path: Path, wait_seconds: float = 0) -> TransferReport:
    """Write every document the reader shows to `path`: a StoreReader narrowed to a profile
    exports only what that profile may see, and the manifest says for whom (a Store exports
    everything). Holds the writer lock so that no ingest changes the collection halfway."""
    from ingest.reader import reader_of

    reader = reader_of(store)
    store = reader.store
    started = time.perf_counter()
    path = Path(path)
    report = TransferReport()
    dimensions = None
    documents, chunks, vectors = io.StringIO(), io.StringIO(), []
    with store.writer_lock(wait_seconds):
        for row in reader.documents():
            got = reader.export_rows(row.doc_id)
            order = sorted(range(len(got["ids"])), key=lambda i: got["metadatas"][i].get("ordinal", 0))
            documents.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
            for i in order:
                chunks.write(json.dumps({"id": got["ids"][i], "document": got["documents"][i],
                                         "metadata": got["metadatas"][i]}, ensure_ascii=False) + "\n")
                vectors.append(np.asarray(got["embeddings"][i], dtype=np.float32))
            report.documents += 1
            report.chunks += len(order)
    matrix = np.vstack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
    dimensions = int(matrix.shape[1]) if vectors else 0
    payload = {"documents.jsonl": documents.getvalue().encode("utf-8"),
               "chunks.jsonl": chunks.getvalue().encode("utf-8")}
    buffer = io.BytesIO()
    np.save(buffer, matrix, allow_pickle=False)
    payload["vectors.npy"] = buffer.getvalue()
    manifest = {"format": FORMAT, "version": VERSION,
                "embedding_model": reader.embedding_model,
                "dimensions": dimensions, "collection": store.collection_name,
                "documents": report.documents, "chunks": report.chunks,
                "for_user": _audience(reader.profile),
                "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in payload.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2), zipfile.ZIP_DEFLATED)
        for name in ("documents.jsonl", "chunks.jsonl"):
            archive.writestr(name, payload[name], zipfile.ZIP_DEFLATED)
        archive.writestr("vectors.npy", payload["vectors.npy"], zipfile.ZIP_STORED)  # floats barely compress
    partial.replace(path)  # a killed export never leaves a file that looks whole
    report.bytes = path.stat().st_size
    report.seconds = time.perf_counter() - started
    return report


def _audience(profile) -> dict | None:
    """Whom an export is releasable to (None: the whole store, no profile)."""
    if profile is None:
        return None
    return {"name": profile.name, "max_marking": profile.max_marking, "caveats": list(profile.caveats)}


def read_export(path: Path, embedding_name: str) -> tuple[dict, list[DocumentRow], list[dict], np.ndarray]:
    """The manifest, registry rows, chunk records and vectors, checked; UserError if not."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise UserError(f"{path}: no such file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"{path.name}: not a planassist export (not a ZIP archive)") from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            data = {name: archive.read(name) for name in MEMBERS}
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise UserError(f"{path.name}: not a planassist export ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UserError(f"{path.name}: not a planassist export (no '{FORMAT}' manifest)")
    if manifest.get("version") != VERSION:
        raise UserError(f"{path.name}: export format version {manifest.get('version')}; "
                        f"this planassist reads version {VERSION}")
    if manifest.get("embedding_model") != embedding_name:
        raise UserError(f"{path.name} holds vectors of embedding model {manifest.get('embedding_model')}, "
                        f"the target collection uses {embedding_name}: import into a store of that model")
    for name in MEMBERS:
        if hashlib.sha256(data[name]).hexdigest() != manifest.get("sha256", {}).get(name):
            raise UserError(f"{path.name}: {name} is damaged (checksum differs from the manifest)")
    rows = [DocumentRow(**json.loads(line)) for line in data["documents.jsonl"].decode("utf-8").splitlines() if line]
    chunks = [json.loads(line) for line in data["chunks.jsonl"].decode("utf-8").splitlines() if line]
    vectors = np.load(io.BytesIO(data["vectors.npy"]), allow_pickle=False)
    if len(chunks) != manifest.get("chunks") or len(vectors) != len(chunks) or len(rows) != manifest.get("documents"):
        raise UserError(f"{path.name}: counts differ from the manifest ({len(rows)} documents, "
                        f"{len(chunks)} chunks, {len(vectors)} vectors)")
    return manifest, rows, chunks, vectors


def import_store(store, path: Path, wait_seconds: float = 0) -> TransferReport:
    """Add every document of an export to the store; one already there is left as it is, one
    at a path the store holds in another version replaces it."""
    from ingest.glossary import extract_glossary

    started = time.perf_counter()
    embedding_name = (store.collection.metadata or {}).get("embedding_model")
    manifest, rows, chunks, vectors = read_export(path, embedding_name)
    report = TransferReport(documents=len(rows), chunks=len(chunks), bytes=Path(path).stat().st_size)
    positions: dict[str, list[int]] = {}
    for i, chunk in enumerate(chunks):
        positions.setdefault(chunk["metadata"].get("doc_id", ""), []).append(i)
    with store.writer_lock(wait_seconds):
        store.reconcile()
        known = {d.doc_id for d in store.documents()}
        for row in rows:
            if row.doc_id in known:
                report.unchanged += 1
                continue
            at = positions.get(row.doc_id, [])
            if len(at) != row.chunks:
                raise UserError(f"{Path(path).name}: document {row.source} has {len(at)} of its {row.chunks} chunks")
            texts = [chunks[i]["document"] for i in at]
            replaced = store.write_rows(row, [chunks[i]["id"] for i in at], vectors[at],
                                        texts, [chunks[i]["metadata"] for i in at],
                                        [chunks[i]["metadata"].get("section", "") for i in at],
                                        extract_glossary(texts))
            report.replaced += bool(replaced)
            report.added += not replaced
    report.seconds = time.perf_counter() - started
    return report
