"""Structure-aware chunking: a document's own paragraph numbers and headings decide where
chunks begin, sentence ends decide where long paragraphs split.

Written by hand because LangChain's splitters know characters and separators, not paragraph
numbering: a chunk here must carry the paragraph id a planner cites ("C4.2.1", "3.b.(2)",
"Annex B > 2"), never straddle two numbered paragraphs, and never end mid-sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.identity import document_identity, identity_text, short_identity
from ingest.numbering import (ANNEX, GLOSSARY_HEADING, NEW_ISSUANCE, STATUTE_SECTION, Outline, glossary_term,
                              is_cover_line, numbering_style, parse_annex)
from ingest.records import Chunk, LoadedDocument
from ingest.sentences import split_spans

# all-MiniLM-L6-v2 reads 256 word pieces, about 180 words of English prose; chunk text stays
# under this many words so that it and its title/heading prefix are read whole.
MAX_WORDS = 150
# Past about this many characters a chunk with its prefix can exceed the model's 256 word pieces
# (tables, OCR and numbers cut into many pieces): the document identity is then left out of the
# embedded prefix (it stays in the keyword index and the metadata). Measured on the DSCA library
# (8,599 chunks over 256 pieces): 4.6% with title and headings only, 6.2% with a 6-word identity
# always added, 4.8% with this budget (5.0% at 1,000 characters, 4.7% at 800).
EMBED_CHAR_BUDGET = 900

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_DASHES = "-\u2013\u2014 "
_CHAPTER = re.compile(r"^(CHAPTER|Chapter|PART|Part)\s+(\d{1,2}|[IVX]{1,5})\b")
_COPY_TO = re.compile(r"^(copy to|cc)\s*:", re.I)
_USC_TITLE = re.compile(r"U\.?\s?S\.?\s?C\.?\s*(?:\u00a7+\s*)?(\d{1,5}[a-z]?)\b|^\s*\u00a7+\s*(\d{1,5}[a-z]?)\b")


def chunk_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-{ordinal:05d}"


def doc_id_of(chunk_id: str) -> str:
    """The document a chunk id belongs to (the inverse of chunk_id): lets retrieval filter
    dense hits by document without fetching their metadata from Chroma."""
    return chunk_id.rsplit("-", 1)[0]


@dataclass
class _Block:
    section: str
    headings: tuple[str, ...]
    parts: list[tuple[str, int]] = field(default_factory=list)  # (line, page)

    def add(self, line: str, page: int) -> None:
        self.parts.append((line, page))

    def text_and_pages(self) -> tuple[str, list[tuple[int, int]]]:
        """Joined text and (offset, page) where each page's part begins."""
        text, pages = "", []
        for line, page in self.parts:
            if text:
                # a hyphen at a line end joins the word across the break ("Marenta-\nbased")
                text += "" if text.endswith("-") and text[-2:-1].isalpha() else " "
            if not pages or pages[-1][1] != page:
                pages.append((len(text), page))
            text += line
        return text, pages


def _is_caps_heading(text: str) -> bool:
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    visible = [c for c in text if not c.isspace()]
    # mostly letters: a table row of figures and ids ("FY2027 10 U.S.C. 333") is not a heading
    return (1 <= len(words) <= 12 and len(letters) >= 3 and len(letters) >= 0.7 * len(visible)
            and text.upper() == text
            and not text.rstrip().endswith((",", ";")) and "|" not in text)


_LONE_MARKER = re.compile(r"^(?:\(?[0-9A-Za-z]{1,4}\)|[0-9A-Za-z]{1,4}\.)$")
_MARKER_START = re.compile(r"^(?:\(?[0-9A-Za-z]{1,4}\)|[0-9A-Za-z]{1,4}\.|C\d)")


def _joined_markers(lines: list[str]) -> list[str]:
    """Stripped lines, with a marker that stands alone ("1." or "a." on its own line, as some
    PDFs lay out a hanging indent) joined to the text it numbers."""
    joined: list[str] = []
    pending = ""
    lines = _mended_markers([raw.strip() for raw in lines])
    for line in lines:
        if pending and line:
            # "... see Annex\nB.\n3.c.(1) LOE 1" is a wrapped word, not a hanging marker
            joined.append(f"{pending}\n{line}" if _MARKER_START.match(line) else f"{pending} {line}")
            pending = ""
        elif _LONE_MARKER.match(line) and (not joined or not joined[-1] or joined[-1].isupper()
                                            or joined[-1].endswith((".", ":", ";"))):
            pending = line
        else:
            joined.append(line)
    if pending:
        joined.append(pending)
    return [part for line in joined for part in line.split("\n")]


_MARKER_HEAD = re.compile(r"^\(?[0-9A-Za-z]{0,4}$")
_MARKER_TAIL = re.compile(r"^(?:\.|[0-9A-Za-z]{0,3}\))(?=\s)")


def _mended_markers(lines: list[str]) -> list[str]:
    """A marker that the PDF's text layer broke across lines ("c\n.  DoD property",
    "(\n1)  Section 2778", "(2\n)  Chapter 35") put back together."""
    mended: list[str] = []
    for line in lines:
        if mended and mended[-1] and _MARKER_HEAD.match(mended[-1]) and _MARKER_TAIL.match(line):
            mended[-1] += line
        else:
            mended.append(line)
    return mended


def _part_styles(document: LoadedDocument) -> list[str]:
    """The numbering style of the main text and of each enclosure/attachment after it, in
    order: a memo that restates SAMM paragraphs (C9.7.1.2.) can attach guidance numbered
    I./A./1. that the SAMM style would not read."""
    parts: list[list[str]] = [[]]
    annex = None
    for page in document.pages:
        page_top = True
        for line in _joined_markers(page.text.splitlines()):
            if not line:
                continue
            name = None if document.markdown_headings else parse_annex(line, page_top)
            page_top = False
            if name and name != annex:
                annex = name
                parts.append([])
            parts[-1].append(line)
    whole = numbering_style([line for lines in parts for line in lines])
    return [whole] + [numbering_style(lines, default=whole) for lines in parts[1:]]


def structure(document: LoadedDocument) -> list[_Block]:
    """The document as numbered paragraphs and headed text, in reading order."""
    blocks: list[_Block] = []
    headings: list[tuple[int, str]] = []
    styles = _part_styles(document)
    # the glossary is the last GLOSSARY line's: earlier ones are the table of contents
    last_glossary = {match.group(1).upper(): (page.number, line.strip())
                     for page in document.pages for line in page.text.splitlines()
                     if (match := GLOSSARY_HEADING.match(line.strip())) and line.isupper()}
    style = styles.pop(0)
    outline = Outline(style)
    if style == "statute" and (number := _USC_TITLE.search(document.title)):
        outline.set_section(number.group(1) or number.group(2))
    # a message written all in capitals (DSCA's older cables) has no capitals-only headings
    lettered = [line for page in document.pages for line in page.text.splitlines() if sum(map(str.isalpha, line)) > 8]
    all_caps = len(lettered) >= 10 and sum(line.isupper() for line in lettered) > 0.6 * len(lettered)
    in_distribution = False  # the addressees under DISTRIBUTION LIST are not headings
    annex: str | None = None
    glossary: str | None = None  # "Glossary" or "Definitions" while inside one
    section = ""
    current: _Block | None = None
    previous = ""

    def heading_path() -> tuple[str, ...]:
        return tuple(text for _, text in headings)

    def set_heading(level: int, text: str) -> None:
        nonlocal current, section
        while headings and headings[-1][0] >= level:
            headings.pop()
        headings.append((level, text))
        current = None
        if not re.match(r"^(C?\d|Annex|ANNEX|\(|\u00a7)", text):
            section = text  # until a numbered paragraph says otherwise, the heading is the id

    def qualified(ident: str) -> str:
        return f"{annex} > {ident}" if annex and not ident.startswith("C") else ident

    def open_annex(name: str) -> None:
        nonlocal annex, glossary
        if name != annex:  # a running "ENCLOSURE 2" line on each page is not a new enclosure
            annex, glossary = name, None
            outline.style = styles.pop(0) if styles else outline.style
            outline.reset()

    for page in document.pages:
        page_top = True
        in_distribution = False
        for line in _joined_markers(page.text.splitlines()):
            if not line:
                current = None  # a blank line ends a paragraph (Markdown, text, DOCX)
                previous = ""
                continue
            at_top, page_top = page_top, False
            last, previous = previous, line
            if style == "statute" and (sec := STATUTE_SECTION.match(line)):
                outline.set_section(sec.group(1))
            if document.markdown_headings and (md := _MD_HEADING.match(line)):
                level, text = len(md.group(1)), md.group(2).strip()
                if annex_match := ANNEX.match(text):
                    open_annex(f"Annex {annex_match.group(2)}" if annex_match.group(1).lower() == "annex"
                               else f"{annex_match.group(1).title()} {annex_match.group(2)}")
                numbered = outline.parse(text, heading=True)
                if numbered:
                    section = qualified(numbered[0])
                set_heading(level, text)
                continue
            if name := parse_annex(line, at_top):
                if name == annex:
                    continue  # the enclosure's running "ENCLOSURE 2" line on each page
                open_annex(name)
                in_distribution = False
                headings.clear()
                set_heading(1, line)
                section = annex
                continue
            if glossary == "Glossary" and _CHAPTER.match(line):
                set_heading(2, line)  # "PART I. ABBREVIATIONS AND ACRONYMS" of a glossary
                section = glossary
                continue
            wrapped = bool(last) and not last.endswith((".", ":", ";")) and not last.isupper() \
                or bool(last) and all_caps and not last.endswith((".", ":", ";"))
            if _CHAPTER.match(line) and len(line.split()) <= 12 and not GLOSSARY_HEADING.match(line) \
                    and not wrapped:  # "... IN ACCORDANCE WITH\nCHAPTER 2 OF REF D." is a wrapped line
                annex, glossary = None, None
                outline.reset()
                headings.clear()
                set_heading(1, line)
                continue
            if (kind := GLOSSARY_HEADING.match(line)) and _is_caps_heading(line) \
                    and last_glossary.get(kind.group(1).upper()) == (page.number, line):
                glossary = kind.group(1).title()
                if glossary == "Glossary":
                    annex = None
                set_heading(1 if glossary == "Glossary" else 2, line)
                section = glossary
                continue
            if glossary and (entry := glossary_term(line, last)):
                section = f"{glossary} > {entry[0]}"
                current = _Block(section, heading_path())
                blocks.append(current)
                current.add(line, page.number)
                continue
            numbered = None if glossary == "Glossary" else outline.parse(line)
            if numbered:
                glossary = None  # a numbered paragraph ends a memo's definitions
            if numbered:
                ident, rest = numbered
                in_distribution = False
                # "1. SITUATION" or "C5.1. - Letter of Request Submissions": a numbered heading
                if _is_caps_heading(rest) or rest.startswith(("- ", "\u2013 ")):
                    level = 2 if ident.count(".") == 0 or (ident.startswith("C") and ident.count(".") == 1) else 3
                    set_heading(level, f"{ident}. {rest.lstrip(_DASHES).strip()}")
                    section = qualified(ident)
                    continue
                section = qualified(ident)
                current = _Block(section, heading_path())
                blocks.append(current)
                current.add(line, page.number)
                continue
            if NEW_ISSUANCE.match(line):
                # another document begins (a memo's attached DoD instruction): its outline is its own
                outline.reset()
                annex, glossary, section, current = None, None, "", None
                headings.clear()
            if _COPY_TO.match(line):
                in_distribution = True  # "Copy to:" / "cc:" addressees are no headings either
            if (_is_caps_heading(line) and not line.endswith(".") and not is_cover_line(line)
                    and not all_caps and not in_distribution):
                set_heading(3 if headings and headings[0][0] == 1 else 2, line)
                in_distribution = line.startswith("DISTRIBUTION")
                continue
            if current is None:
                current = _Block(section, heading_path())
                blocks.append(current)
            current.add(line, page.number)
    return [b for b in blocks if b.parts]


def _merge_small_neighbours(blocks: list[_Block], max_words: int) -> list[_Block]:
    """Unnumbered paragraphs under one id (Markdown or DOCX prose) share a chunk while they fit."""
    merged: list[_Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (previous and previous.section == block.section and previous.headings == block.headings
                and _words(previous) + _words(block) <= max_words):
            previous.parts.extend(block.parts)
        else:
            merged.append(_Block(block.section, block.headings, list(block.parts)))
    return merged


def _words(block: _Block) -> int:
    return sum(len(line.split()) for line, _ in block.parts)


def _pack(text: str, max_words: int) -> list[tuple[int, int]]:
    """Spans of whole sentences, each at most max_words long (a single longer sentence, such
    as a run-on table row, is cut at word boundaries: there is no sentence end to keep)."""
    spans: list[tuple[int, int]] = []
    start = end = None
    words = 0
    for s, e in split_spans(text):
        n = len(text[s:e].split())
        if n > max_words:
            if start is not None:
                spans.append((start, end))
                start, words = None, 0
            spans.extend(_cut_long(text, s, e, max_words))
            continue
        if start is not None and words + n > max_words:
            spans.append((start, end))
            start, words = None, 0
        if start is None:
            start = s
        end, words = e, words + n
    if start is not None:
        spans.append((start, end))
    return spans


def _cut_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    tokens = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    return [(start + tokens[i][0], start + tokens[min(i + max_words, len(tokens)) - 1][1])
            for i in range(0, len(tokens), max_words)]


def embed_prefix(title: str, identity: list[str], heading_path: str) -> str:
    """What is embedded before a chunk's text: its title, the document's short identity
    (number and short name, which the title often lacks) and the heading path."""
    short = short_identity([t for t in identity if t.lower() != title.lower()])
    head = f"{title} ({short})" if title and short else title or short
    return " > ".join(x for x in (head, heading_path) if x)


def embed_text(title: str, identity: list[str], heading_path: str, piece: str) -> str:
    """A chunk's embedded text: its lead (embed_prefix) on a line of its own, then the text."""
    prefix = embed_prefix(title, identity, heading_path)
    if len(prefix) + len(piece) > EMBED_CHAR_BUDGET:
        prefix = embed_prefix(title, [], heading_path)  # the text itself comes first
    return f"{prefix}\n{piece}" if prefix else piece


def chunk_document(document: LoadedDocument, max_words: int = MAX_WORDS) -> list[Chunk]:
    chunks: list[Chunk] = []
    title = document.title.strip()
    identity = document_identity(document)
    for block in _merge_small_neighbours(structure(document), max_words):
        text, pages = block.text_and_pages()
        heading_path = " > ".join(block.headings)
        for s, e in _pack(text, max_words):
            piece = text[s:e]
            offsets = [(max(o - s, 0), p) for o, p in pages if o < e]
            offsets = [(o, p) for i, (o, p) in enumerate(offsets)
                       if i == len(offsets) - 1 or offsets[i + 1][0] > 0]  # pages before s drop out
            page_numbers = [p for _, p in offsets]
            ordinal = len(chunks)
            chunks.append(Chunk(
                chunk_id=chunk_id(document.doc_id, ordinal),
                text=piece,
                embed_text=embed_text(title, identity, heading_path, piece),
                section=block.section,
                heading_path=heading_path,
                page_start=min(page_numbers),
                page_end=max(page_numbers),
                ordinal=ordinal,
                page_offsets=";".join(f"{o}:{p}" for o, p in offsets),
                doc_identity=identity_text(identity),
            ))
    return chunks
