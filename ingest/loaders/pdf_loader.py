"""PDF pages through pypdf, one Page per PDF page, running headers and footers removed.

Pages are extracted in page ranges by worker processes (ingest/loaders/page_workers.py): pypdf
is pure Python, so one process tops out at about 6 pages/s here, the machine has spare cores
while the embedder waits for text, and a range that hangs or kills its worker fails its file
with one line instead of hanging the run. Pages without a text layer (scans) are read by OCR
when asked (ingest/loaders/ocr.py).
"""

from __future__ import annotations

import io
import logging
import subprocess
from concurrent.futures import CancelledError
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ingest.errors import DocumentError
from ingest.headers import strip_running_lines
from ingest.loaders.page_workers import PageWorkers, WorkerFailure
from ingest.records import LoadedDocument, Page

RANGE_PAGES = 4
# Each worker keeps the document it last read open, so ranges cost no re-open; the cap only
# bounds the number of tasks (and futures) a 20,000-page PDF makes.
MAX_RANGES = 256
MAX_PAGES = 20000  # refused above this, with a clear message
# Time limit for one range of RANGE_PAGES pages. Measured on the 316 readable PDFs of the dsca
# folder (2,039 pages, 647 ranges, 2 workers, the machine shared): the slowest range took 5.8 s
# (the first of a 126-page publication, which includes opening it), the next 3.6 s; ten times
# the slowest, so that a loaded machine is not mistaken for a hung worker.
RANGE_SECONDS = 60.0
# Time limit for OCR of one page: 6 s of CPU measured per scanned page, 14 s with the cores
# shared; ten times that.
OCR_PAGE_SECONDS = 120.0

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable PDFs are common


@dataclass(frozen=True)
class PageWork:
    """How pages are read: in which worker processes (None: in this process, no time limit),
    within which time limits, with OCR or not, and whom to tell as pages are done."""

    workers: PageWorkers | None = None
    range_seconds: float = RANGE_SECONDS
    ocr: bool = False
    ocr_page_seconds: float = OCR_PAGE_SECONDS
    on_pages: Callable[[Path, int, int], None] | None = None  # (file, pages done, pages in file)


def _open(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise ValueError(f"encrypted with a cipher this install cannot open ({exc})") from exc
        if not opened:
            raise PermissionError("encrypted with a password; remove the password or export an unprotected copy")
    return reader


_last_opened: tuple = (None, None)  # in a worker process: (bytes, reader) of its current document


def extract_range(data: bytes, start: int, stop: int, reader=None) -> list[str]:
    """Text of pages [start, stop); a module-level function so worker processes can run it.
    A worker reuses the reader of the document it read last (each worker is one thread)."""
    global _last_opened
    if reader is None:
        if _last_opened[0] is not data:
            _last_opened = (None, None)
            _last_opened = (data, _open(data))
        reader = _last_opened[1]
    texts = []
    for index in range(start, stop):
        try:
            texts.append(reader.pages[index].extract_text() or "")
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise ValueError(f"page {index + 1} cannot be read ({type(exc).__name__}: {exc})") from exc
    return texts


def ocr_pages(data: bytes, indexes: list[int], seconds: float) -> list[str]:
    """OCR text of the pages; "" for a page OCR cannot read (the file still gets its note)."""
    from ingest.loaders.ocr import ocr_page

    texts = []
    for index in indexes:
        try:
            texts.append(ocr_page(data, index, seconds))
        except (ValueError, OSError, subprocess.TimeoutExpired):
            texts.append("")
    return texts


def _page_texts(path: Path, data: bytes, reader, count: int, work: PageWork) -> list[str]:
    if work.workers is None:
        texts = []
        for start in range(0, count, RANGE_PAGES):
            texts += extract_range(data, start, min(start + RANGE_PAGES, count), reader)
            if work.on_pages:
                work.on_pages(path, len(texts), count)
        return texts
    size = max(RANGE_PAGES, -(-count // MAX_RANGES))
    ranges = [(s, min(s + size, count)) for s in range(0, count, size)]
    seconds = work.range_seconds * (size / RANGE_PAGES)
    futures = [work.workers.submit(extract_range, path, data, s, e, seconds=seconds,
                                   label=f"pages {s + 1}-{e}") for s, e in ranges]
    return _gather(path, futures, work, count)


def _gather(path: Path, futures, work: PageWork, count: int) -> list:
    results, done = [], 0
    try:
        for future in futures:
            part = future.result()
            results += part
            done += len(part)
            if work.on_pages:
                work.on_pages(path, done, count)
    except WorkerFailure as exc:
        raise DocumentError(path, str(exc)) from exc
    except CancelledError as exc:
        raise DocumentError(path, "stopped before its pages were read") from exc
    finally:
        for future in futures:
            future.cancel()
    return results


def _ocr(path: Path, data: bytes, texts: list[str], work: PageWork) -> tuple[list[str], set[int]]:
    """OCR text for the pages without text; returns the texts and the 1-based OCR'd pages."""
    from ingest.loaders.ocr import missing_tools

    blank = [i for i, text in enumerate(texts) if not text.strip()]
    if not blank:
        return texts, set()
    reason = missing_tools()
    if reason:
        raise DocumentError(path, f"{len(blank)} pages have no text layer and {reason}")
    if work.workers is None:
        read = ocr_pages(data, blank, work.ocr_page_seconds)
    else:
        futures = [work.workers.submit(ocr_pages, path, data, [i], work.ocr_page_seconds,
                                       seconds=work.ocr_page_seconds + 10, label=f"OCR of page {i + 1}")
                   for i in blank]
        read = []
        for future in futures:
            try:
                read += future.result()
            except WorkerFailure:  # past its time limit, or its worker died: that page stays blank
                read.append("")
    texts = list(texts)
    for index, text in zip(blank, read):
        texts[index] = text
    return texts, {i + 1 for i, text in zip(blank, read) if text.strip()}


def load(path: Path, data: bytes, doc_id: str, work: PageWork | None = None) -> LoadedDocument:
    work = work or PageWork()
    try:
        reader = _open(data)
        count = len(reader.pages)
    except PermissionError as exc:
        raise DocumentError(path, str(exc)) from exc
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from exc
    except Exception as exc:
        raise DocumentError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if count == 0:
        raise DocumentError(path, "the PDF has no pages")
    if count > MAX_PAGES:
        raise DocumentError(path, f"the PDF has {count} pages, over the {MAX_PAGES}-page limit; split it")
    try:
        texts = _page_texts(path, data, reader, count, work)
        ocr_read: set[int] = set()
        if work.ocr:
            texts, ocr_read = _ocr(path, data, texts, work)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from exc
    raw_pages = [Page(i + 1, t, ocr=(i + 1) in ocr_read) for i, t in enumerate(texts)]
    title = _title(reader, raw_pages)
    from ingest.metadata import detect_marking

    declared = {}
    marking = detect_marking(raw_pages)
    if marking:
        declared["detected_marking"] = marking
    return LoadedDocument(path=path, doc_id=doc_id, pages=tuple(strip_running_lines(raw_pages)),
                          title=title, declared=declared)


def _title(reader, pages: list[Page]) -> str:
    from ingest.metadata import first_heading, usable_title

    try:
        meta_title = (reader.metadata or {}).get("/Title")
    except Exception:
        meta_title = None
    if usable_title(meta_title):
        return str(meta_title).strip()
    return first_heading(pages)
