"""Tell what a file really is from its first bytes, so a mislabelled file gets a clear reason
instead of a parser's traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Extensions the loaders read, and the kind each expects.
SUPPORTED = {".pdf": "pdf", ".docx": "docx", ".md": "markdown", ".markdown": "markdown",
             ".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}


def real_kind(path: Path, head: bytes) -> str:
    """'pdf', 'zip', 'docx', 'html', 'binary' or 'text', judged from content."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if b"\x00" in head[:4096]:
        return "binary"
    lowered = head[:2048].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def mismatch_reason(path: Path, expected: str, head: bytes) -> str | None:
    """None when the content fits the extension, else the reason to report."""
    kind = real_kind(path, head)
    if expected == "pdf" and kind != "pdf":
        return f"not a PDF: its content looks like {describe(kind)}"
    if expected == "docx" and kind != "docx":
        return f"not a DOCX document: its content looks like {describe(kind)}"
    if expected in ("markdown", "text", "html") and kind in ("pdf", "zip", "docx", "binary"):
        return f"not a text file: its content looks like {describe(kind)}"
    return None


def describe(kind: str) -> str:
    return {"pdf": "a PDF", "zip": "a ZIP archive", "docx": "a Word document",
            "binary": "binary data", "html": "an HTML page", "text": "plain text"}[kind]
