"""Ingestion: files -> documents -> chunks -> vectors -> store, incrementally.

A document's id is the hash of its content (and of what was declared about it), so ingesting
the same file again does nothing, a changed file replaces its previous version, and a file
whose content was already ingested from another path is not stored twice.

PDF pages are extracted in worker processes (pypdf is pure Python, about 6 pages/s a core),
then the chunks are embedded and each document written as soon as its vectors exist, so a run
that is stopped or killed continues where it stopped: the next run finds the documents already
written unchanged and skips them.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ingest.chunking import MAX_WORDS, chunk_document, chunk_id, embed_text
from ingest.embedding import Embedder
from ingest.errors import DocumentError
from ingest.glossary import extract_glossary
from ingest.keyword_index import DocumentRow
from ingest.loaders import DEFAULT_MAX_FILE_MB, identify, load_document, unsupported_reason
from ingest.loaders.page_workers import PageWorkers
from ingest.memory import release_freed_memory
from ingest.loaders.pdf_loader import RANGE_SECONDS, PageWork
from ingest.metadata import MarkingError, checked_doc_type, checked_marking, guess_doc_type, lower_than
from ingest.numbering import has_paragraph_id
from ingest.records import IngestProgress
from ingest.identity import identity_terms
from ingest.sentence_vectors import packed, sentence_spans, unpacked
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
        lines += [f"note {o.path}: {o.detail}" for o in self.of("added") + self.of("replaced") if o.detail]
        lines += [f"skipped {o.path}: {o.detail}" for o in self.of("skipped")]
        lines += [f"failed {o.path}: {o.detail}" for o in self.of("failed")]
        return "\n".join(lines)


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files to load, and outcomes for what was passed over (with the reason)."""
    files: list[Path] = []
    passed: list[Outcome] = []
    for path in map(Path, paths):
        if path.is_dir():
            candidates = _files_under(path, passed)
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


def _files_under(folder: Path, passed: list[Outcome]) -> list[Path]:
    """Files below a folder, hidden ones left out; a subfolder that cannot be read gets its
    own failure line (Path.rglob would pass over it in silence)."""
    def unreadable(error: OSError) -> None:
        passed.append(Outcome(str(error.filename or folder), "failed",
                              f"the folder cannot be read ({error.strerror or error})"))

    found = []
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [Path(root) / name for name in names if not name.startswith(".")]
    return sorted(p for p in found if p.is_file())


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
    # PDF worker processes; 0 reads pages in this process (no time limit: tests of plumbing)
    workers: int = max(1, min(2, os.cpu_count() or 1))
    wait_seconds: float = 0
    force_marking: bool = False  # let an explicit marking be lower than the document's banners
    range_seconds: float = RANGE_SECONDS  # time limit for one range of PDF pages in a worker
    # OCR of pages without a text layer. Off by default: about 6 s of CPU per scanned page
    # (measured; 0.1 s for a page with text), so the 40 scanned pages of the 2,039 in the
    # dsca folder would more than double its ingest time; --ocr turns it on.
    ocr: bool = False


Progress = Callable[[IngestProgress], None]


def ingest_paths(paths: Iterable[Path], store: Store, embedder: Embedder,
                 options: IngestOptions | None = None, progress: Progress | None = None) -> IngestReport:
    """Ingest files and folders; per-file failures are reported, never fatal to the batch."""
    options = options or IngestOptions()
    paths = list(paths)  # walked, then scoped for --prune
    started = time.perf_counter()
    files, outcomes = walk(paths)
    report = IngestReport(outcomes=outcomes)
    overrides = {"doc_type": options.doc_type, "marking": options.marking}
    with store.writer_lock(options.wait_seconds):
        store.reconcile()
        known = {d.doc_id: d for d in store.documents()}
        todo: list[tuple[Path, str, int]] = []
        queued: dict[str, str] = {}
        for path in files:
            try:
                doc_id, pages = identify(path, overrides, options.max_file_mb)
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
                todo.append((path, doc_id, pages))
        _ingest_new(todo, store, embedder, options, overrides, report, _Tracker(todo, progress))
        _add_missing_sentence_vectors(store, embedder, report)
        if options.prune:
            for doc in prunable(store, paths):
                store.remove_document(doc.doc_id)
                report.outcomes.append(Outcome(doc.path, "removed", "file is gone", doc.chunks, doc.pages, doc.doc_id))
    report.seconds = time.perf_counter() - started
    return report


class _Tracker:
    """Counts files, pages and chunks as they go and tells the progress callback. The page
    total is known up front (PDFs' page counts; parsing corrects other formats')."""

    def __init__(self, todo, callback: Progress | None):
        self.callback = callback
        self.files_total = len(todo)
        self.expected = {path: pages for path, _, pages in todo}
        self.pages_total = sum(self.expected.values())
        self.parsed: dict[Path, int] = {}
        self.files_done = self.pages_done = self.chunks = 0
        self._lock = threading.Lock()  # pages are reported from the loader threads
        self._parsing: Path | None = None

    def pages(self, path: Path, done: int, count: int) -> None:
        """From the loader threads: counted now, told by flush() from the calling thread (a
        Streamlit page can only draw from its own thread)."""
        with self._lock:
            self.pages_total += count - self.expected.get(path, count)
            self.expected[path] = count
            self.pages_done += done - self.parsed.get(path, 0)
            self.parsed[path] = done
            self._parsing = path

    def flush(self) -> None:
        with self._lock:
            path, self._parsing = self._parsing, None
            if path is not None:
                self._tell("parse", path)

    def parsed_file(self, path: Path, pages: int) -> None:
        self.pages(path, pages, pages)

    def embedded(self, path: Path, chunks: int) -> None:
        with self._lock:
            self.chunks += chunks
            self._tell("embed", path)

    def finished(self, path: Path, stage: str = "write") -> None:
        with self._lock:
            self.files_done += 1
            self._tell(stage, path)

    def _tell(self, stage: str, path: Path) -> None:
        if self.callback:
            self.callback(IngestProgress(stage, path.name, self.files_done, self.files_total,
                                         self.pages_done, self.pages_total, self.chunks))


LOOKAHEAD_FILES = 3
# Files parsed before their embedding starts. It bounds the text held at once and the work a
# stopped run has to redo (nothing of a wave is written before it is parsed whole).
WAVE_FILES = 24
PROGRESS_SECONDS = 0.25  # how often parsing progress is told while a wave parses
EMBED_SLICE = 256  # chunks embedded at a time: a long document's progress moves, its vectors stay small


def _ingest_new(todo, store, embedder, options, overrides, report, tracker: _Tracker) -> None:
    """Parse a wave of files with every core, then embed and write them one by one.

    The phases do not overlap on purpose: measured here, onnxruntime's threads stall when
    PDF worker processes share the 2 cores (10 chunks/s instead of 40), so overlapping was
    slower than parsing first and embedding after."""
    if not todo:
        return
    workers = PageWorkers(options.workers) if options.workers > 0 else None
    work = PageWork(workers=workers, range_seconds=options.range_seconds, ocr=options.ocr, on_pages=tracker.pages)
    loaders = ThreadPoolExecutor(LOOKAHEAD_FILES, thread_name_prefix="loader")
    try:
        for start in range(0, len(todo), WAVE_FILES):
            wave = [path for path, _, _ in todo[start:start + WAVE_FILES]]
            for path, document, chunks, error in _parse_wave(wave, loaders, options, overrides, work, tracker):
                if error:
                    report.outcomes.append(Outcome(str(path), "failed", error))
                    tracker.parsed_file(path, tracker.expected.get(path, 0))  # its pages count as done
                    tracker.finished(path, "parse")
                else:
                    report.outcomes.append(_write(path, document, chunks, store, embedder, tracker, options))
                    tracker.finished(path)
    finally:
        # the page workers first: a loader thread waiting on a page range is released by it
        if workers:
            workers.shutdown()
        loaders.shutdown(wait=True, cancel_futures=True)


def _parse_wave(wave, loaders, options, overrides, work: PageWork, tracker: _Tracker) -> list:
    # A few files load at once, so the worker processes always have page ranges queued
    # (one file at a time leaves a core idle at the end of each file).
    futures = [loaders.submit(_prepare, path, options, overrides, work, tracker) for path in wave]
    results = []
    for future in futures:
        while True:
            try:
                results.append(future.result(timeout=PROGRESS_SECONDS))
                break
            except TimeoutError:
                tracker.flush()
        tracker.flush()
    return results


def _prepare(path: Path, options, overrides, work: PageWork, tracker: _Tracker):
    try:
        document = load_document(path, options.max_file_mb, overrides, work=work)
        tracker.parsed_file(path, len(document.pages))
        chunks = chunk_document(document, options.max_words)
        ocr_pages = {page.number for page in document.pages if page.ocr}
        if ocr_pages:
            chunks = [replace(c, ocr=True) if ocr_pages & set(range(c.page_start, c.page_end + 1)) else c
                      for c in chunks]
        return path, document, chunks, None
    except DocumentError as exc:
        return path, None, None, exc.reason
    except OSError as exc:  # the file vanished, or a folder's permissions changed, mid-run
        return path, None, None, f"cannot be read ({exc.strerror or exc})"
    except Exception as exc:  # a loader bug must not take the batch down
        return path, None, None, f"could not be read ({type(exc).__name__}: {exc})"


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
        from assistant.access.audit import AuditLog  # the store's audit file, beside the answers

        AuditLog(store.store_dir / "audit.jsonl").record_event(
            "marking_forced", path=str(path), detected=detected, marking=marking)
    return marking


def _write(path: Path, document, chunks, store: Store, embedder: Embedder, tracker: _Tracker,
           options) -> Outcome:
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
    parts, sentences = [], []
    for start in range(0, len(chunks), EMBED_SLICE):
        part = chunks[start:start + EMBED_SLICE]
        vectors, pooled = _embed(embedder, part)
        parts.append(vectors)
        sentences += pooled
        release_freed_memory()  # the batches' tensors, freed but kept by malloc (ingest/memory.py)
        tracker.embedded(path, len(part))
    vectors = np.concatenate(parts) if len(parts) > 1 else parts[0]
    try:
        replaced = store.write_document(row, chunks, vectors, extract_glossary([c.text for c in chunks]),
                                        sentences=sentences)
    except (TypeError, ValueError) as exc:  # a value the store refuses; what was written is invisible
        return Outcome(str(path), "failed", f"could not be stored ({type(exc).__name__}: {exc})")
    return Outcome(str(path), "replaced" if replaced else "added", _page_note(document, options.ocr), len(chunks),
                   len(document.pages), row.doc_id, with_paragraph_id=sum(has_paragraph_id(c.section) for c in chunks))


def _embed(embedder: Embedder, chunks) -> tuple[np.ndarray, list[dict]]:
    """The chunks' vectors, and each chunk's sentence vectors as metadata, from one forward
    pass (ingest/sentence_vectors.py). An embedder without span pooling (a LangChain
    Embeddings someone plugs in) gives chunk vectors only; the answerer then embeds the
    sentences itself."""
    texts = [c.embed_text for c in chunks]
    if not hasattr(embedder, "encode_spans"):
        return embedder.encode(texts), [{} for _ in chunks]
    # the chunk's text ends its embedded text, after the title and heading lead
    spans = [sentence_spans(c.text) if c.embed_text.endswith(c.text) else [] for c in chunks]
    leads = [len(c.embed_text) - len(c.text) for c in chunks]
    vectors, pooled = embedder.encode_spans(texts, [[(s + lead, e + lead) for s, e in found]
                                                    for found, lead in zip(spans, leads)])
    return vectors, [packed(found, p) if found else {} for found, p in zip(spans, pooled)]


@dataclass(frozen=True)
class _StoredChunk:
    text: str
    embed_text: str


def _add_missing_sentence_vectors(store: Store, embedder: Embedder, report: IngestReport) -> None:
    """Unchanged documents stored before chunks kept sentence vectors get them now, from their
    stored chunks (their text, title, identity and heading path give the embedded text back),
    so that a store made by an earlier version answers as a new one does. Only the metadata
    changes: the chunk vectors, ids and text stay as they are. Whether a document needs it is
    read off its first chunk: one get for the whole library."""
    if not hasattr(embedder, "encode_spans"):
        return
    unchanged = {o.doc_id: o for o in report.of("unchanged") if o.doc_id}
    if not unchanged:
        return
    first = store.get_chunks([chunk_id(doc_id, 0) for doc_id in unchanged])
    for doc_id, outcome in unchanged.items():
        opening = first.get(chunk_id(doc_id, 0))
        if opening is None or unpacked(opening[1]):
            continue
        rows = store.document_chunks(doc_id)
        chunks = [_StoredChunk(text, embed_text(m.get("title", ""), identity_terms(m.get("doc_identity", "")),
                                                m.get("heading_path", ""), text)) for _, text, m in rows]
        _, sentences = _embed(embedder, chunks)
        store.update_chunk_metadata([i for i, _, _ in rows], sentences)
        release_freed_memory()
        outcome.detail = "; ".join(x for x in (outcome.detail, "sentence vectors added") if x)


def _page_note(document, ocr: bool) -> str:
    """One line about pages that gave no text (scans OCR was not asked for, or could not read)."""
    blank = [page.number for page in document.pages if not page.text.strip()]
    if not blank:
        return ""
    shown = ", ".join(map(str, blank[:10])) + (f" and {len(blank) - 10} more" if len(blank) > 10 else "")
    return f"{len(blank)} of {len(document.pages)} pages have no text (page {shown}); " + (
        "OCR found no text on them" if ocr else "--ocr reads scanned pages")
