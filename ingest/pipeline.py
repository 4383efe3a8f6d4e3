"""Ingestion: files -> documents -> chunks -> vectors -> store, incrementally.

A document's id is the hash of its content (and of what was declared about it), so ingesting
the same file again does nothing, a changed file replaces its previous version, and a file
whose content was already ingested from another path is not stored twice.

PDF pages are extracted in worker processes (pypdf is pure Python, about 6 pages/s a core),
then the chunks are embedded and each document written as soon as its vectors exist.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.chunking import MAX_WORDS, chunk_document
from ingest.embedding import Embedder
from ingest.errors import DocumentError
from ingest.glossary import extract_glossary
from ingest.keyword_index import DocumentRow
from ingest.loaders import DEFAULT_MAX_FILE_MB, document_id, load_document, unsupported_reason
from ingest.metadata import MarkingError, checked_doc_type, checked_marking, guess_doc_type, lower_than
from ingest.numbering import has_paragraph_id
from ingest.store import Store


@dataclass
class Outcome:
    path: str
    status: str  # added | replaced | unchanged | removed | skipped | failed
    detail: str = ""
    chunks: int = 0
    pages: int = 0
    doc_id: str = ""
    with_paragraph_id: int = 0  # chunks that carry the document's own paragraph number


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def failed(self) -> bool:
        return bool(self.of("failed"))

    def counts(self) -> dict:
        return {s: len(self.of(s)) for s in ("added", "replaced", "unchanged", "removed", "skipped", "failed")}

    def written(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("added", "replaced")]

    def paragraph_id_share(self) -> str:
        """'8,488 chunks, 7,900 with a paragraph id (93%)': how much of what was written can
        be cited by the document's own paragraph number rather than by a heading or page."""
        chunks = sum(o.chunks for o in self.written())
        numbered = sum(o.with_paragraph_id for o in self.written())
        share = f" ({100 * numbered / chunks:.0f}%)" if chunks else ""
        return f"{chunks:,} chunks, {numbered:,} with a paragraph id{share}"

    def as_dict(self) -> dict:
        return {"counts": self.counts(), "chunks_written": sum(o.chunks for o in self.written()),
                "chunks_with_paragraph_id": sum(o.with_paragraph_id for o in self.written()),
                "pages": sum(o.pages for o in self.outcomes if o.status in ("added", "replaced")),
                "seconds": round(self.seconds, 2), "files": [o.__dict__ for o in self.outcomes]}

    def summary(self) -> str:
        c = self.counts()
        written = sum(o.chunks for o in self.outcomes if o.status in ("added", "replaced"))
        removed = sum(o.chunks for o in self.of("removed"))
        lines = [f"added {c['added']}, replaced {c['replaced']} ({written} chunks written), "
                 f"unchanged {c['unchanged']}, removed {c['removed']} ({removed} chunks), "
                 f"skipped {c['skipped']}, failed {c['failed']} in {self.seconds:.1f} s"]
        if self.written():
            lines.append(self.paragraph_id_share())
        lines += [f"skipped {o.path}: {o.detail}" for o in self.of("skipped")]
        lines += [f"failed {o.path}: {o.detail}" for o in self.of("failed")]
        return "\n".join(lines)


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files to load, and outcomes for what was passed over (with the reason)."""
    files: list[Path] = []
    passed: list[Outcome] = []
    for path in map(Path, paths):
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file()
                                and not any(part.startswith(".") for part in p.relative_to(path).parts))
            inside = path.resolve()
            for candidate in [c for c in candidates if not c.resolve().is_relative_to(inside)]:
                # a link out of the folder (to /etc/passwd, say) is not part of what was given
                passed.append(Outcome(str(candidate), "skipped", "a symbolic link to a file outside the folder given"))
                candidates.remove(candidate)
        elif path.is_file():
            candidates = [path]
        else:
            passed.append(Outcome(str(path), "failed", "no such file or folder"))
            continue
        for candidate in candidates:
            if not _utf8_name(candidate):
                shown = str(candidate).encode("utf-8", "backslashreplace").decode("utf-8")
                passed.append(Outcome(shown, "failed", "the file name is not valid UTF-8; rename the file"))
                continue
            reason = unsupported_reason(candidate)
            if reason == "metadata sidecar":
                continue  # read with the file it describes
            if reason:
                passed.append(Outcome(str(candidate), "skipped", reason))
            else:
                files.append(candidate)
    return files, passed


def _utf8_name(path: Path) -> bool:
    # A name of bytes that are not UTF-8 reaches Python as lone surrogates, which neither
    # Chroma's metadata nor SQLite nor the terminal can take.
    try:
        str(path.resolve()).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


@dataclass
class IngestOptions:
    doc_type: str | None = None
    marking: str | None = None
    prune: bool = False
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    max_words: int = MAX_WORDS
    workers: int = max(1, min(2, os.cpu_count() or 1))
    wait_seconds: float = 0
    force_marking: bool = False  # let an explicit marking be lower than the document's banners


def ingest_paths(paths: Iterable[Path], store: Store, embedder: Embedder,
                 options: IngestOptions | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> IngestReport:
    """Ingest files and folders; per-file failures are reported, never fatal to the batch."""
    options = options or IngestOptions()
    started = time.perf_counter()
    paths = list(paths)  # walked, then scoped for --prune
    files, outcomes = walk(paths)
    report = IngestReport(outcomes=outcomes)
    overrides = {"doc_type": options.doc_type, "marking": options.marking}
    with store.writer_lock(options.wait_seconds):
        store.reconcile()
        known = {d.doc_id: d for d in store.documents()}
        todo: list[tuple[Path, str]] = []
        queued: dict[str, str] = {}
        for path in files:
            try:
                doc_id = document_id(path, overrides, options.max_file_mb)
            except DocumentError as exc:
                report.outcomes.append(Outcome(str(path), "failed", exc.reason))
                continue
            if doc_id in known:
                same = known[doc_id]
                detail = "" if same.path == str(path.resolve()) else f"same content as {same.path}"
                report.outcomes.append(Outcome(str(path), "unchanged", detail, same.chunks, same.pages, doc_id))
            elif doc_id in queued:
                report.outcomes.append(Outcome(str(path), "unchanged", f"same content as {queued[doc_id]}", doc_id=doc_id))
            else:
                queued[doc_id] = str(path)
                todo.append((path, doc_id))
        _ingest_new(todo, store, embedder, options, overrides, report, progress)
        if options.prune:
            for doc in prunable(store, paths):
                store.remove_document(doc.doc_id)
                report.outcomes.append(Outcome(doc.path, "removed", "file is gone", doc.chunks, doc.pages, doc.doc_id))
    report.seconds = time.perf_counter() - started
    return report


def prunable(store: Store, paths: list[Path]) -> list[DocumentRow]:
    """What `--prune` removes: documents this store ingested (Store.owns), from the folders
    given (a file given stands for its folder; all of this store's documents when nothing
    is given), whose file is gone. On a shared collection another machine's documents are
    never touched: their files are not on this machine, which says nothing about whether
    they still exist."""
    roots = [Path(p).resolve().parent if Path(p).is_file() else Path(p).resolve() for p in paths]
    return [doc for doc in store.documents()
            if doc.path and store.owns(doc) and not Path(doc.path).exists()
            and (not roots or any(Path(doc.path).is_relative_to(root) for root in roots))]


LOOKAHEAD_FILES = 3
WAVE_FILES = 200  # files parsed before their embedding starts; bounds the text held in memory


def _ingest_new(todo, store, embedder, options, overrides, report, progress) -> None:
    """Parse a wave of files with every core, then embed and write them one by one.

    The phases do not overlap on purpose: measured here, onnxruntime's threads stall when
    PDF worker processes share the 2 cores (10 chunks/s instead of 40), so overlapping was
    slower than parsing first and embedding after."""
    if not todo:
        return
    executor = ProcessPoolExecutor(options.workers) if options.workers > 1 else None
    done = 0
    try:
        for start in range(0, len(todo), WAVE_FILES):
            for path, document, chunks, error in _prepare_wave(todo[start:start + WAVE_FILES], options,
                                                               overrides, executor):
                done += 1
                if progress:
                    progress(path.name, done, len(todo))
                if error:
                    report.outcomes.append(Outcome(str(path), "failed", error))
                else:
                    report.outcomes.append(_write(path, document, chunks, store, embedder, options))
    finally:
        if executor:
            executor.shutdown(cancel_futures=True)


def _prepare_wave(wave, options, overrides, executor) -> list:
    def prepare(path: Path):
        try:
            document = load_document(path, options.max_file_mb, overrides, executor=executor)
            return path, document, chunk_document(document, options.max_words), None
        except DocumentError as exc:
            return path, None, None, exc.reason
        except Exception as exc:  # a loader bug must not take the batch down
            return path, None, None, f"could not be read ({type(exc).__name__}: {exc})"

    # A few files load at once, so the worker processes always have page ranges queued
    # (one file at a time leaves a core idle at the end of each file).
    with ThreadPoolExecutor(LOOKAHEAD_FILES) as loaders:
        return list(loaders.map(prepare, [path for path, _ in wave]))


def _marking(path: Path, declared: dict, options, store) -> str | None:
    """The document's marking: an explicit one (--marking, sidecar, front matter) if it is
    known and not lower than the banners detected, else the detected one. A lower explicit
    marking needs --force-marking, and the audit log records it."""
    detected = declared.get("detected_marking")
    if not declared.get("marking"):
        return detected
    marking = checked_marking(declared["marking"])
    if lower_than(marking, detected):
        if not options.force_marking:
            raise DocumentError(path, f"the marking given ({marking}) is lower than the document's own banners "
                                      f"({detected}); pass --force-marking to keep the lower one")
        from assistant.audit import AuditLog  # the store's audit file, beside the answers

        AuditLog(store.store_dir / "audit.jsonl").record_event(
            "marking_forced", path=str(path), detected=detected, marking=marking)
    return marking


def _write(path: Path, document, chunks, store: Store, embedder: Embedder, options) -> Outcome:
    declared = document.declared
    try:
        doc_type = checked_doc_type(path, declared.get("doc_type") or guess_doc_type(
            document.title, document.pages[0].text if document.pages else ""))
    except DocumentError as exc:
        return Outcome(str(path), "failed", exc.reason)
    try:
        marking = _marking(path, declared, options, store)
    except (DocumentError, MarkingError) as exc:
        return Outcome(str(path), "failed", getattr(exc, "reason", str(exc)))
    if not chunks:
        return Outcome(str(path), "failed", "no text to index after cleaning")
    row = DocumentRow(doc_id=document.doc_id, path=str(path.resolve()), source=path.name,
                      title=document.title or path.stem, doc_type=doc_type, marking=marking,
                      pages=len(document.pages), chunks=len(chunks),
                      ingested_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    vectors = embedder.encode([c.embed_text for c in chunks])
    try:
        replaced = store.write_document(row, chunks, vectors, extract_glossary([c.text for c in chunks]))
    except (TypeError, ValueError) as exc:  # a value the store refuses; what was written is invisible
        return Outcome(str(path), "failed", f"could not be stored ({type(exc).__name__}: {exc})")
    return Outcome(str(path), "replaced" if replaced else "added", "", len(chunks), len(document.pages), row.doc_id,
                   with_paragraph_id=sum(has_paragraph_id(c.section) for c in chunks))
