"""The shapes passed between loading, chunking, embedding and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader would cite it
    text: str
    ocr: bool = False  # the text was recognised from the page's image (no text layer)


@dataclass(frozen=True)
class LoadedDocument:
    """What a loader read from one file, before chunking."""

    path: Path
    doc_id: str  # content hash of the file's bytes
    pages: tuple[Page, ...]
    title: str
    # Markdown-style '#' headings are meaningful in Markdown and in DOCX (whose heading styles
    # the loader writes as '#'); in PDF text a leading '#' is just table content.
    markdown_headings: bool = False
    declared: dict = field(default_factory=dict)  # front matter / sidecar fields

    @property
    def source(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class IngestProgress:
    """Where an ingest stands, told to its progress callback (the CLI's bar, the app's
    upload progress) as pages are parsed, chunks embedded and documents written."""

    stage: str  # "parse" | "embed" | "write"
    file: str  # the file name the event is about
    files_done: int  # files finished (written or failed)
    files_total: int  # files this run has to read (unchanged ones are not counted)
    pages_done: int  # pages parsed
    pages_total: int
    chunks: int  # chunks embedded


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    text: str  # what is stored, shown and quoted
    embed_text: str  # what is embedded: the text with its title and heading path
    section: str  # the document's own paragraph id or heading, "" when none
    heading_path: str
    page_start: int
    page_end: int
    ordinal: int
    # "offset:page;offset:page": where in `text` each page begins, so a quoted sentence can
    # be cited with its own page rather than the chunk's first page.
    page_offsets: str
    # the document's number, title, short name and first-page acronyms, "; "-separated
    # (ingest/identity.py): what every passage of the document counts as mentioning
    doc_identity: str = ""
    ocr: bool = False  # some of its text was recognised by OCR (set by the pipeline)

    def page_at(self, offset: int) -> int:
        return page_at_offset(self.page_offsets, self.page_start, offset)


def page_at_offset(page_offsets: str, page_start: int, offset: int) -> int:
    """The page on which character `offset` of a chunk's text stands."""
    page = page_start
    for item in page_offsets.split(";"):
        if not item:
            continue
        start, number = item.split(":")
        if int(start) <= offset:
            page = int(number)
    return page
