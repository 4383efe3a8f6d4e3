"""HTML pages: headings become Markdown '#' lines so the chunker sees one heading syntax."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.text_loader import decode_utf8
from ingest.metadata import detect_marking, first_heading
from ingest.records import LoadedDocument, Page

_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd"]


def load(path: Path, data: bytes, doc_id: str, work=None) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_utf8(path, data), "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    lines = []
    for element in soup.find_all(_BLOCKS):
        if element.find_parent(_BLOCKS):
            continue  # its text is taken with the enclosing block
        if element.name == "tr":
            text = " | ".join(c.get_text(" ", strip=True) for c in element.find_all(["td", "th"]))
        else:
            text = element.get_text(" ", strip=True)
        if not text:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            text = "#" * int(element.name[1:]) + " " + text
        lines.append(text)
    if not lines:  # a page without block markup: take its text as it is
        lines = [soup.get_text("\n", strip=True)]
    pages = [Page(1, "\n\n".join(lines))]
    declared = {}
    marking = detect_marking(pages)
    if marking:
        declared["detected_marking"] = marking
    title_tag = soup.title.get_text(strip=True) if soup.title else ""
    title = title_tag or first_heading(pages) or path.stem
    return LoadedDocument(path=path, doc_id=doc_id, pages=tuple(pages), title=title,
                          markdown_headings=True, declared=declared)
