"""One entry point, load_document(path), for every supported format.

Each loader returns pages of text; what is common to all formats (size and content checks,
the content hash, metadata from front matter or a sidecar) happens here once.
"""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

from ingest.errors import DocumentError
from ingest.records import LoadedDocument
from ingest.sniff import SUPPORTED, mismatch_reason

DEFAULT_MAX_FILE_MB = 100


def unsupported_reason(path: Path) -> str | None:
    """Why a file found while walking a folder is skipped, or None if it is loadable."""
    if path.name.endswith(".meta.yaml"):
        return "metadata sidecar"
    if path.suffix.lower() not in SUPPORTED:
        return f"unsupported file type '{path.suffix or '(none)'}'"
    return None


def _read_checked(path: Path, max_file_mb: float) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise DocumentError(path, "the file is empty")
    if size > max_file_mb * 1024 * 1024:
        raise DocumentError(
            path, f"the file is {size / 1024 / 1024:.0f} MB, over the {max_file_mb:g} MB limit "
                  "(raise it with --max-file-mb)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})") from exc


def _identity(path: Path, data: bytes, overrides: dict) -> tuple[str, dict, dict]:
    """The document id, the sidecar and the effective overrides. The id covers what was
    declared about the file too, so a changed sidecar or --type re-ingests the document
    instead of being skipped as unchanged."""
    sidecar = _sidecar(path)
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    digest = hashlib.sha256(data)
    digest.update(json.dumps([sidecar, overrides], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:24], sidecar, overrides


def _sidecar(path: Path) -> dict:
    from ingest.metadata import read_sidecar

    try:
        return read_sidecar(path)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            # the file's name is long enough that "<name>.meta.yaml" cannot exist: no sidecar
            return {}
        raise DocumentError(path, f"its sidecar cannot be read ({exc.strerror or exc})") from exc


def document_id(path: Path, overrides: dict | None = None, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> str:
    return _identity(Path(path), _read_checked(Path(path), max_file_mb), overrides or {})[0]


def identify(path: Path, overrides: dict | None = None,
             max_file_mb: float = DEFAULT_MAX_FILE_MB) -> tuple[str, int]:
    """The document id and the number of pages the file has (1 when only parsing can tell),
    from one read of the file: the page count gives the progress bar its total up front."""
    path = Path(path)
    data = _read_checked(path, max_file_mb)
    return _identity(path, data, overrides or {})[0], _page_count(path, data)


def _page_count(path: Path, data: bytes) -> int:
    if SUPPORTED.get(path.suffix.lower()) != "pdf":
        return 1
    try:  # pypdf reads the page tree's /Count without parsing any page: milliseconds
        from ingest.loaders.pdf_loader import _open

        return max(1, len(_open(data).pages))
    except Exception:  # noqa: BLE001 - loading it will say what is wrong, with its reason
        return 1


def load_document(path: Path, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                  overrides: dict | None = None, work=None) -> LoadedDocument:
    """Read one file. `overrides` (e.g. doc_type, marking from the command line) win over
    what the file declares."""
    from ingest.loaders import docx_loader, html_loader, pdf_loader, text_loader
    from ingest.metadata import MarkingError

    path = Path(path)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(path, f"unsupported file type '{path.suffix or '(none)'}'")
    data = _read_checked(path, max_file_mb)
    reason = mismatch_reason(path, kind, data[:4096])
    if reason:
        raise DocumentError(path, reason)
    doc_id, sidecar, overrides = _identity(path, data, overrides)
    loader = {"pdf": pdf_loader, "docx": docx_loader, "html": html_loader,
              "markdown": text_loader, "text": text_loader}[kind]
    try:
        document = loader.load(path, data, doc_id, work=work)
    except MarkingError as exc:  # a banner that cannot be read: refused, never guessed lower
        raise DocumentError(path, str(exc)) from exc
    if sidecar or overrides:
        merged = {**document.declared, **sidecar, **overrides}
        title = str(merged.get("title") or document.title)
        document = LoadedDocument(path=document.path, doc_id=doc_id, pages=document.pages, title=title,
                                  markdown_headings=document.markdown_headings, declared=merged)
    if not any(page.text.strip() for page in document.pages):
        if kind != "pdf":
            raise DocumentError(path, "no extractable text")
        hint = "OCR found none either" if getattr(work, "ocr", False) else "ingest it with --ocr to read its scans"
        raise DocumentError(path, f"no extractable text (a scanned or image-only document: {hint})")
    return document
