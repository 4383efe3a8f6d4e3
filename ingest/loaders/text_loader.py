"""Markdown and plain text. A form feed marks a page break, as printers and many exporters
write it; a file without one is a single page."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import DocumentError
from ingest.metadata import detect_marking, first_heading, parse_front_matter
from ingest.records import LoadedDocument, Page


def decode_utf8(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
                  "save it as UTF-8 and ingest it again") from exc


def load(path: Path, data: bytes, doc_id: str, work=None) -> LoadedDocument:
    text = decode_utf8(path, data).replace("\r\n", "\n").replace("\r", "\n")
    is_markdown = path.suffix.lower() in (".md", ".markdown")
    declared, body = parse_front_matter(text) if is_markdown else ({}, text)
    pages = [Page(i + 1, part) for i, part in enumerate(body.split("\f"))]
    marking = detect_marking(pages)
    if marking:
        declared = {**declared, "detected_marking": marking}
    title = str(declared.get("title") or first_heading(pages) or path.stem)
    return LoadedDocument(path=path, doc_id=doc_id, pages=tuple(pages), title=title,
                          markdown_headings=is_markdown, declared=declared)
