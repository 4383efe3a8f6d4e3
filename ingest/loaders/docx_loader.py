"""Word documents through python-docx, in body order (paragraphs and tables).

Heading styles become Markdown '#' lines. Pages follow Word's own page breaks: the ones Word
recorded when it last laid the document out, or else the explicit ones the author inserted.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.errors import DocumentError
from ingest.metadata import detect_marking, first_heading, usable_title
from ingest.records import LoadedDocument, Page

# A DOCX is a ZIP: refuse archives that would inflate far beyond any real document.
MAX_UNCOMPRESSED_MB = 300
MAX_RATIO = 200

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_archive(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(path, f"not a readable DOCX document ({exc})") from exc
    if total > MAX_UNCOMPRESSED_MB * 1024 * 1024 or total > MAX_RATIO * max(len(data), 1):
        raise DocumentError(
            path, f"refused: it would expand to {total / 1024 / 1024:.0f} MB from "
                  f"{len(data) / 1024:.0f} KB (a ZIP bomb or a damaged file)")


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    if name.startswith("Heading"):
        digits = name.removeprefix("Heading").strip()
        return min(int(digits) + 1, 6) if digits.isdigit() else 2
    return 0


def load(path: Path, data: bytes, doc_id: str, work=None) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(path, f"not a readable DOCX document ({type(exc).__name__}: {exc})") from exc
    body = document.element.body
    rendered_breaks = bool(body.findall(f".//{W}lastRenderedPageBreak"))

    pages: list[list[str]] = [[]]
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, document)
            breaks = (len(child.findall(f".//{W}lastRenderedPageBreak")) if rendered_breaks else
                      len([b for b in child.findall(f".//{W}br") if b.get(f"{W}type") == "page"])
                      + len(child.findall(f"./{W}pPr/{W}pageBreakBefore")))
            text = paragraph.text.strip()
            if breaks and not text:
                pages.extend([] for _ in range(breaks))
                continue
            if text:
                level = _heading_level(paragraph)
                pages[-1].append(("#" * level + " " + text) if level else text)
            pages.extend([] for _ in range(breaks))
        elif child.tag == f"{W}tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                pages[-1].append(" | ".join(cells))
    page_records = [Page(i + 1, "\n\n".join(lines)) for i, lines in enumerate(pages)]
    while len(page_records) > 1 and not page_records[-1].text.strip():
        page_records.pop()

    banner_lines = []
    for section in document.sections:
        for part in (section.header, section.footer):
            banner_lines.extend(p.text for p in part.paragraphs if p.text.strip())
    declared = {}
    marking = detect_marking(page_records, banner_lines)
    if marking:
        declared["detected_marking"] = marking
    core_title = document.core_properties.title
    title = core_title.strip() if usable_title(core_title) else (first_heading(page_records) or path.stem)
    return LoadedDocument(path=path, doc_id=doc_id, pages=tuple(page_records), title=title,
                          markdown_headings=True, declared=declared)
