"""A document's own paragraph numbers, read line by line: what a planner cites.

Ids follow one convention (shared with the evaluation suites): the number as the document
writes it, joined with dots (`1.2.b`, `3.c.(2)`, `4.a.(1)(b)`, `III.A.1`, `C11.15.9`), statute
subsections in parentheses after the section number (`333(e)(8)`), and the enclosure, annex,
appendix, attachment, tab or glossary in front with " > " (`Enclosure 2 > 9.m`,
`Glossary > Security Cooperation Organization`).

Lone markers ("a.", "(2)", "B.", "ii.") are composed with the markers above them by an outline
stack. A marker is taken only when it continues a level already open (the next letter, number
or numeral) or opens a new level at its first value: that is what rejects wrapped text ("... FY\n
27. The"), dates, table cells, page numbers and reference lists, and what tells the letter "I."
after "H." from the numeral "I." that opens a memo's first section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SAMM_ID = re.compile(r"^(C\d{1,2}(?:\.\d{1,3})+)\.?(?=\s|$)")
DECIMAL_ID = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,4})\.?(?=\s)")
PLAN_ID = re.compile(r"^(\d{1,2})\.(?:([a-z])\.)?(?:\((\d{1,2})\))?(?:\(([a-z])\))?(?=\s)")
ENCLOSURE_ID = re.compile(r"^(E\d{1,2}(?:\.\d{1,3})+)\.?(?=\s)")  # old DoD directives: E2.1.3.
FMR_ID = re.compile(r"^(\d{6})\.(?=\s)")  # Financial Management Regulation: 060201.
_MARKER = re.compile(r"^(?:\((\d{1,2}|[a-z]{1,4}|[A-Z]{1,4})\)|(\d{1,2}|[a-z]|[A-Z]|[ivx]{2,5}|[IVX]{2,5})\.)(?=\s)")
ANNEX = re.compile(r"^(ANNEX|APPENDIX|ENCLOSURE|ATTACHMENT|TAB|Annex|Appendix|Enclosure|Attachment|Tab)"
                   r"\s+([A-Z0-9]{1,3})(?:\s*[-:.\u2013\u2014]\s*(.*))?$")
GLOSSARY_HEADING = re.compile(r"^(?:PART\s+[IV]+[.:]?\s+)?(GLOSSARY|DEFINITIONS)\.?$", re.I)
STATUTE_SECTION = re.compile(r"^(?:#+\s*)?(?:\u00a7+|Sec\.|SEC\.)\s*(\d{1,5}[a-z]?)\.\s")
_TOC_LEADER_DOTS = re.compile(r"\.{5,}|\u2026{2,}|(\.\s){4,}")
_TOC_LEADER = re.compile(r"\.{4,}|\u2026{2,}|\s\d{1,3}$")
_GLOSSARY_TERM = re.compile(r"^([A-Za-z*][\w*()/&'\u2019,-]*(?:\s+[\w()/&'\u2019-]+){0,6})[.:]\s+(\S.*)$")
_ROMAN = {"i": 1, "v": 5, "x": 10}


def roman_value(text: str) -> int:
    total, previous = 0, 0
    for char in reversed(text.lower()):
        value = _ROMAN[char]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total


def _letter_value(text: str) -> int:
    return ord(text.lower()) - 96 if len(text) == 1 else 0


def _candidates(paren: bool, label: str) -> list[tuple[str, int]]:
    """The kinds a marker can be, with its ordinal in each ("I." is the letter I or the
    numeral one; "(i)" the letter i or the numeral one)."""
    prefix = "p" if paren else ""
    if label.isdigit():
        return [(prefix + "num", int(label))]
    kinds = []
    if len(label) == 1:
        kinds.append((prefix + ("lower" if label.islower() else "upper"), _letter_value(label)))
    if set(label.lower()) <= set("ivx"):
        kinds.append((prefix + ("roman_lower" if label.islower() else "roman"), roman_value(label)))
    return kinds


@dataclass
class _Level:
    kind: str
    ordinal: int
    label: str


def format_id(levels: list[_Level]) -> str:
    """'3' 'c' '(2)' -> 3.c.(2); '(1)' '(b)' -> (1)(b); '333' '(e)' '(8)' -> 333(e)(8)."""
    text = ""
    for i, level in enumerate(levels):
        part = f"({level.label})" if level.kind.startswith("p") and level.kind != "plan" else level.label
        if not text:
            text = part
        elif part.startswith("(") and (levels[i - 1].kind.startswith("p") or levels[i - 1].kind == "section"):
            text += part
        else:
            text += "." + part
    return text


@dataclass
class Outline:
    """Where we are in the document's outline."""

    style: str = "plan"  # samm | decimal | plan | statute (numbering_style)
    levels: list[_Level] = field(default_factory=list)
    section: str | None = None  # a statute's section number (333)

    def reset(self) -> None:
        self.levels = [_Level("section", 0, self.section)] if self.section else []

    def set_section(self, number: str) -> None:
        self.section = number
        self.reset()

    def _kinds(self) -> list[str]:
        return [level.kind for level in self.levels]

    def _explicit(self, ident: str, kind: str = "explicit") -> str:
        self.levels = [_Level(kind, 0, ident)]
        return ident

    def _top_plausible(self, value: int) -> bool:
        # the next paragraph, or one a few ahead (a missed number); a restart only after an
        # annex or chapter line has reset the outline
        tops = [level for level in self.levels if level.kind == "num"]
        if not tops:
            return value == 1 and not self.levels
        return 0 < value - tops[0].ordinal <= 3

    def parse(self, line: str, heading: bool = False) -> tuple[str, str] | None:
        """(paragraph id, rest of line) when the line opens a numbered paragraph. A heading
        (Markdown '## (e) Notice ...') may skip values: an excerpt leaves subsections out."""
        if _TOC_LEADER_DOTS.search(line):
            return None  # a table-of-contents line ("2.4. DoD Component Heads ........ 6")
        if (match := SAMM_ID.match(line)) and (self.style == "samm" or _rest_ok(line[match.end():].strip())):
            # outside SAMM-numbered text a bare "C9.8.5." opening a line is a wrapped citation
            return self._explicit(match.group(1)), line[match.end():].strip()
        if self.style == "samm":
            return None
        for pattern in (ENCLOSURE_ID, FMR_ID):
            if (match := pattern.match(line)) and _rest_ok(rest := line[match.end():].strip()):
                return self._explicit(match.group(1)), rest
        if self.style == "decimal" and (match := DECIMAL_ID.match(line)):
            rest = line[match.end():].strip()
            if _rest_ok(rest) and int(match.group(1).split(".")[0]) <= 60:
                return self._explicit(match.group(1), "decimal"), rest
        if self.style != "statute" and (match := PLAN_ID.match(line)) and (match.group(2) or match.group(3)):
            # a compound number written out ("3.f.(1)"): it states its parents itself
            rest = line[match.end():].strip()
            if self.style == "decimal" or not _rest_ok(rest):
                return None
            top, letter, number, sub = match.groups()
            self.levels = [_Level("num", int(top), top)]
            if letter:
                self.levels.append(_Level("lower", _letter_value(letter), letter))
            if number:
                self.levels.append(_Level("pnum", int(number), number))
            if sub:
                self.levels.append(_Level("plower", _letter_value(sub), sub))
            return format_id(self.levels), rest
        match = _MARKER.match(line)
        if not match:
            return None
        rest = line[match.end():].strip()
        if not _rest_ok(rest):
            return None
        paren = match.group(1) is not None
        label = match.group(1) or match.group(2)
        if self.style == "statute" and not paren:
            return None
        if self.style != "statute" and paren and not label.isdigit() and not any(
                k in ("pnum",) for k in self._kinds()):
            return None  # "(a) DoD Directive ..." is a reference list, not a paragraph
        if not paren and label.isdigit() and self.levels and self.levels[0].kind == "decimal":
            # after 2.4.1 a bare "3." is the next top paragraph or wrapped text, never 2.4.1.3
            top = int(self.levels[0].label.split(".")[0])
            if 0 < int(label) - top <= 3:
                self.levels = [_Level("num", int(label), label)]
                return label, rest
            return None
        candidates = _candidates(paren, label)
        kinds = self._kinds()
        if not paren and label.isdigit() and len(self.levels) >= 2 and (
                self.levels[-1].kind in ("pnum", "plower") or "num2" in kinds):
            # Joint Publications go on 1. a. (1) (a) 1. a): a "1." under "(a)" opens a level
            candidates.append(("num2", int(label)))
        continuing = []
        for kind, ordinal in candidates:  # the next value of a level already open
            if kind in kinds:
                index = kinds.index(kind)
                ahead = ordinal - self.levels[index].ordinal
                if 0 < ahead <= (26 if heading else 3 if kind == "num" and index == 0 else 2):
                    continuing.append((index, kind, ordinal))
        if continuing:
            # the innermost level that continues ("3." after a nested "2."), unless the line
            # reads as a title ("4.  Airspace Coordinating Measures"): that is an outer one
            index, kind, ordinal = min(continuing) if _title_like(rest) else max(continuing)
            self.levels = self.levels[:index] + [_Level(kind, ordinal, label)]
            return format_id(self.levels), rest
        for kind, ordinal in candidates:  # or the first value of a new level
            if kind in kinds or ordinal != 1:
                continue
            if kind == "num" and not self.levels:
                if not self._top_plausible(ordinal):
                    continue
            elif (kind.startswith("p") or kind in ("lower", "roman_lower")) and not self.levels \
                    and self.style != "statute":
                continue  # a lone "(1)" or "a." composes with a paragraph above it
            self.levels.append(_Level(kind, ordinal, label))
            return format_id(self.levels), rest
        return None


def _title_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 8 and not text.rstrip().endswith((".", ",", ";")) and all(
        w[0].isupper() or w.lower() in ("of", "and", "for", "the", "on", "in", "to", "a", "an", "with", "by")
        for w in words if w[0].isalpha())


def _rest_ok(rest: str) -> bool:
    return bool(rest) and (rest[0].isupper() or rest[0] in "(\"'\u201c\u00a7$")


def numbering_style(lines: list[str], default: str | None = None, evidence: int = 3) -> str:
    """The document's numbering style: 'samm' (C4.2.1.), 'decimal' (2.4.1), 'statute'
    ((a), (1), (A) under a section number) or 'plan' (3.b.(2), memo 1./a./(1), III.A.1).
    A document keeps to one; knowing which stops wrapped text such as '... IMO\n1.3.
    Coordinate' from being read as a paragraph number."""
    counts = {"samm": 0, "decimal": 0, "plan": 0, "statute": 0}
    for line in lines:
        if SAMM_ID.match(line):
            counts["samm"] += 1
        elif DECIMAL_ID.match(line):
            counts["decimal"] += 1
        elif (match := PLAN_ID.match(line)) and (match.group(2) or match.group(3)):
            counts["plan"] += 1
        elif STATUTE_SECTION.match(line):
            counts["statute"] += 3
        elif (match := _MARKER.match(line)) and match.group(2) and not match.group(2).isdigit() \
                and match.group(2)[0].isupper():
            counts["plan"] += 1  # "II. Implementation", "B. Responsibilities": a memo's outline
    if counts["samm"] < 3:
        counts["samm"] = 0  # one "C9.8.5." opening a line is a wrapped citation, not SAMM numbering
    best = max(counts, key=lambda k: (counts[k], k == "plan"))
    # an enclosure with a number or two of another style keeps its document's style
    return default if default and counts[best] < evidence else best


def parse_annex(line: str, page_top: bool) -> str | None:
    """'Enclosure 2', 'Annex B', 'Attachment 1' when the line opens one. Mixed-case
    ("Attachment 2: Implementation Guidance") only at the top of a page, where memos put it;
    a table-of-contents line ("ENCLOSURE 2: RESPONSIBILITIES .... 7") never."""
    match = ANNEX.match(line)
    if not match:
        return None
    kind, number, rest = match.group(1), match.group(2), match.group(3)
    if rest and _TOC_LEADER.search(rest):
        return None
    if not (kind.isupper() or page_top or _is_caps(rest or "X")):
        return None
    return f"{kind.title()} {number}"


NEW_ISSUANCE = re.compile(r"^(INSTRUCTION|DIRECTIVE|MANUAL)$")  # the cover of an issuance attached to a memo
_COVER = re.compile(r"^(INSTRUCTION$|DIRECTIVE$|MANUAL$|/S(IGNED)?/|MEMORANDUM|SUBJECT|REFERENCES?\b|ATTACHMENTS?:?$|ENCLOSURES?:?$|CC:|"
                    r"IN REPLY REFER|DRAFT\b|DEPARTMENT OF\b|(DEPUTY|DIRECTOR|COMMANDER|CHIEF)\b)|^[^,]*,|\b(AGENCY|DEPARTMENT|DIRECTOR|COMMAND|SECRETARY|CENTER|"
                    r"SERVICE|OFFICE|DIVISION|WASHINGTON|HEADQUARTERS)\W*$")


def is_cover_line(line: str) -> bool:
    """A memo's letterhead, address or distribution line ("DEFENSE SECURITY COOPERATION
    AGENCY", "MEMORANDUM FOR SEE DISTRIBUTION", "DIRECTOR, ..."): set in capitals like a
    heading, but no planner cites a paragraph by it."""
    return bool(_COVER.search(line))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 1 and text.upper() == text


def glossary_term(line: str, previous: str) -> tuple[str, str] | None:
    """(term, definition) for a glossary entry: 'term.  Definition ...' opening a paragraph
    (after a blank line or a sentence end)."""
    if previous.strip() and not previous.rstrip().endswith((".", ":", ")")):
        return None
    match = _GLOSSARY_TERM.match(line)
    if not match:
        return None
    term, rest = match.group(1).strip(" *"), match.group(2)
    if len(term) < 2 or term.split()[0].lower() in ("the", "this", "these", "see", "unless", "a", "an", "in",
                                                       "for", "if", "when", "it", "as", "also", "source", "note"):
        return None
    return term, rest


_PARAGRAPH_ID = re.compile(
    r"^(C\d{1,2}(?:\.\d{1,3})+|E\d{1,2}(?:\.\d{1,3})+|\d{6}|\d{1,5}[a-z]?(?:\([0-9A-Za-z]{1,4}\))+|"
    r"(?:\d{1,2}|[IVX]{1,5})(?:\.(?:\d{1,3}|[A-Za-z]|[ivx]{1,5}|\(\d{1,2}\)(?:\([a-z]\))?))*)$")
_PARTS = ("Enclosure", "Annex", "Appendix", "Attachment", "Tab", "Glossary", "Definitions")


def has_paragraph_id(section: str) -> bool:
    """Whether a chunk's section is the document's own number (or a glossary term, or an
    enclosure/annex itself) rather than the nearest heading."""
    if not section:
        return False
    parts = section.split(" > ")
    if parts[0] in ("Glossary", "Definitions") and len(parts) > 1:
        return True
    last = parts[-1]
    if last.split(" ")[0] in _PARTS and len(last.split(" ")) == 2:
        return True
    return bool(_PARAGRAPH_ID.match(last))
