"""Structure-aware chunking: a document's own paragraph numbers and headings decide where
chunks begin, sentence ends decide where long paragraphs split.

Written by hand because LangChain's splitters know characters and separators, not paragraph
numbering: a chunk here must carry the paragraph id a planner cites ("C4.2.1", "3.b.(2)",
"Annex B > 2"), never straddle two numbered paragraphs, and never end mid-sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import Chunk, LoadedDocument
from ingest.sentences import split_spans

# all-MiniLM-L6-v2 reads 256 word pieces, about 180 words of English prose; chunk text stays
# under this many words so that it and its title/heading prefix are read whole.
MAX_WORDS = 150

_SAMM_ID = re.compile(r"^(C\d{1,2}(?:\.\d{1,3})+)\.?(?=\s|$)")
_DECIMAL_ID = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,4})\.?(?=\s)")
_PLAN_ID = re.compile(r"^(\d{1,2})\.(?:([a-z])\.)?(?:\((\d{1,2})\))?(?:\(([a-z])\))?(?=\s)")
_LETTER_ID = re.compile(r"^([a-z])\.(?=\s)")
_NUMBER_IN_PARENS_ID = re.compile(r"^\((\d{1,2})\)(?=\s)")
_ANNEX = re.compile(r"^(ANNEX|APPENDIX|ENCLOSURE|ATTACHMENT|TAB|Annex|Appendix|Enclosure|Attachment)"
                    r"\s+([A-Z0-9]{1,3})(?:\s*[-:.\u2013\u2014]\s*(.*))?$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_DASHES = "-\u2013\u2014 "
_CHAPTER = re.compile(r"^(CHAPTER|Chapter|PART|Part)\s+(\d{1,2}|[IVX]{1,5})\b")


def chunk_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}-{ordinal:05d}"


def doc_id_of(chunk_id: str) -> str:
    """The document a chunk id belongs to (the inverse of chunk_id): lets retrieval filter
    dense hits by document without fetching their metadata from Chroma."""
    return chunk_id.rsplit("-", 1)[0]


@dataclass
class _Numbering:
    """Where we are in the document's outline, to compose ids like 3.b.(2) from lone 'a.'
    or '(2)' markers and to reject numbers that are really wrapped text ('... FY\n27. The')."""

    top: int | None = None
    letter: str | None = None
    number: int | None = None

    def plausible_top(self, value: int) -> bool:
        # the next paragraph, or one a few ahead (a missed number); a restart only after an
        # annex or chapter line has reset the outline
        return (value == 1 if self.top is None else 0 < value - self.top <= 3)


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


def numbering_style(lines: list[str]) -> str:
    """The document's numbering style: 'samm' (C4.2.1.), 'decimal' (2.4.1) or 'plan'
    (3.b.(2)). A document keeps to one; knowing which stops wrapped text such as
    '... IMO\n1.3. Coordinate' from being read as a paragraph number."""
    counts = {"samm": 0, "decimal": 0, "plan": 0}
    for line in lines:
        if _SAMM_ID.match(line):
            counts["samm"] += 1
        elif _DECIMAL_ID.match(line):
            counts["decimal"] += 1
        elif (match := _PLAN_ID.match(line)) and (match.group(2) or match.group(3)):
            counts["plan"] += 1
    return max(counts, key=lambda k: (counts[k], k == "plan"))


def _rest_ok(rest: str) -> bool:
    return bool(rest) and (rest[0].isupper() or rest[0] in "(\"'\u201c\u00a7$")


def _parse_number(line: str, state: _Numbering, style: str = "plan") -> tuple[str, str] | None:
    """(paragraph id, rest of line) when the line opens a numbered paragraph."""
    if match := _SAMM_ID.match(line):
        return match.group(1), line[match.end():].strip()
    if style == "samm":
        return None
    rest_ok = _rest_ok
    if style == "decimal" and (match := _DECIMAL_ID.match(line)):
        rest = line[match.end():].strip()
        if rest_ok(rest):
            state.top = int(match.group(1).split(".")[0])
            return match.group(1), rest
    if match := _PLAN_ID.match(line):
        rest = line[match.end():].strip()
        top, letter, number, sub = match.groups()
        if style == "decimal" and (letter or number):
            return None
        if rest_ok(rest) and (letter or state.plausible_top(int(top))):
            state.top, state.letter = int(top), letter
            state.number = int(number) if number else None
            ident = top + (f".{letter}" if letter else "") + (f".({number})" if number else "") + (f"({sub})" if sub else "")
            return ident, rest
    if style == "plan" and state.top is not None and (match := _LETTER_ID.match(line)):
        rest = line[match.end():].strip()
        if rest_ok(rest):
            state.letter, state.number = match.group(1), None
            return f"{state.top}.{state.letter}", rest
    if state.top is not None and state.letter and (match := _NUMBER_IN_PARENS_ID.match(line)):
        rest = line[match.end():].strip()
        if rest_ok(rest):
            state.number = int(match.group(1))
            return f"{state.top}.{state.letter}.({state.number})", rest
    return None


def structure(document: LoadedDocument) -> list[_Block]:
    """The document as numbered paragraphs and headed text, in reading order."""
    blocks: list[_Block] = []
    headings: list[tuple[int, str]] = []
    state = _Numbering()
    annex: str | None = None
    section = ""
    current: _Block | None = None
    style = numbering_style([line.strip() for page in document.pages for line in page.text.splitlines()])

    def heading_path() -> tuple[str, ...]:
        return tuple(text for _, text in headings)

    def set_heading(level: int, text: str) -> None:
        nonlocal current, section
        while headings and headings[-1][0] >= level:
            headings.pop()
        headings.append((level, text))
        current = None
        if not re.match(r"^(C?\d|Annex|ANNEX)", text):
            section = text  # until a numbered paragraph says otherwise, the heading is the id

    def qualified(ident: str) -> str:
        return f"{annex} > {ident}" if annex and not ident.startswith("C") else ident

    for page in document.pages:
        for raw in page.text.splitlines():
            line = raw.strip()
            if not line:
                current = None  # a blank line ends a paragraph (Markdown, text, DOCX)
                continue
            if document.markdown_headings and (md := _MD_HEADING.match(line)):
                level, text = len(md.group(1)), md.group(2).strip()
                if annex_match := _ANNEX.match(text):
                    annex = f"Annex {annex_match.group(2)}" if annex_match.group(1).lower() == "annex" \
                        else f"{annex_match.group(1).title()} {annex_match.group(2)}"
                    state = _Numbering()
                numbered = _parse_number(text, state, style)
                if numbered:
                    section = qualified(numbered[0])
                set_heading(level, text)
                continue
            if annex_match := _ANNEX.match(line):
                if annex_match.group(1).isupper() or _is_caps_heading(annex_match.group(3) or "X"):
                    kind = annex_match.group(1).title()
                    annex = f"{kind} {annex_match.group(2)}"
                    state = _Numbering()
                    headings.clear()
                    set_heading(1, line)
                    section = annex
                    continue
            if _CHAPTER.match(line) and len(line.split()) <= 12:
                annex = None
                headings.clear()
                set_heading(1, line)
                continue
            numbered = _parse_number(line, state, style)
            if numbered:
                ident, rest = numbered
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
            if _is_caps_heading(line) and not line.endswith("."):
                set_heading(3 if headings and headings[0][0] == 1 else 2, line)
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


def chunk_document(document: LoadedDocument, max_words: int = MAX_WORDS) -> list[Chunk]:
    chunks: list[Chunk] = []
    title = document.title.strip()
    for block in _merge_small_neighbours(structure(document), max_words):
        text, pages = block.text_and_pages()
        heading_path = " > ".join(block.headings)
        for s, e in _pack(text, max_words):
            piece = text[s:e]
            offsets = [(max(o - s, 0), p) for o, p in pages if o < e]
            offsets = [(o, p) for i, (o, p) in enumerate(offsets)
                       if i == len(offsets) - 1 or offsets[i + 1][0] > 0]  # pages before s drop out
            page_numbers = [p for _, p in offsets]
            prefix = " > ".join(x for x in (title, heading_path) if x)
            ordinal = len(chunks)
            chunks.append(Chunk(
                chunk_id=chunk_id(document.doc_id, ordinal),
                text=piece,
                embed_text=f"{prefix}\n{piece}" if prefix else piece,
                section=block.section,
                heading_path=heading_path,
                page_start=min(page_numbers),
                page_end=max(page_numbers),
                ordinal=ordinal,
                page_offsets=";".join(f"{o}:{p}" for o, p in offsets),
            ))
    return chunks
