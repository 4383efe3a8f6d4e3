"""PDF pages through pypdf, one Page per PDF page, running headers and footers removed.

Large PDFs are extracted in page ranges by worker processes: pypdf is pure Python, so one
process tops out at about 6 pages/s here, and the machine has spare cores while the
embedder waits for text.
"""

from __future__ import annotations

import io
import logging
from concurrent.futures import Executor
from pathlib import Path

from ingest.errors import DocumentError
from ingest.headers import strip_running_lines
from ingest.records import LoadedDocument, Page

# Below this many pages, starting work in other processes costs more than it saves.
PARALLEL_MIN_PAGES = 8
RANGE_PAGES = 4
# Each range re-opens the PDF, which costs time in proportion to its page count (0.2 s for
# 10,000 pages here): at most this many ranges, or a 10,000-page PDF of blank pages took
# 2,500 re-opens (minutes of both cores) instead of about 10 s.
MAX_RANGES = 64
MAX_PAGES = 20000  # refused above this, with a clear message

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable PDFs are common


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


def extract_range(data: bytes, start: int, stop: int) -> list[str]:
    """Text of pages [start, stop); a module-level function so worker processes can run it."""
    reader = _open(data)
    texts = []
    for index in range(start, stop):
        try:
            texts.append(reader.pages[index].extract_text() or "")
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise ValueError(f"page {index + 1} cannot be read ({type(exc).__name__}: {exc})") from exc
    return texts


def load(path: Path, data: bytes, doc_id: str, executor: Executor | None = None) -> LoadedDocument:
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
        if executor is not None and count >= PARALLEL_MIN_PAGES:
            size = max(RANGE_PAGES, -(-count // MAX_RANGES))
            ranges = [(s, min(s + size, count)) for s in range(0, count, size)]
            futures = [executor.submit(extract_range, data, s, e) for s, e in ranges]
            texts = [text for future in futures for text in future.result()]
        else:
            texts = extract_range(data, 0, count)
    except ValueError as exc:
        raise DocumentError(path, str(exc)) from exc
    raw_pages = [Page(i + 1, t) for i, t in enumerate(texts)]
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
