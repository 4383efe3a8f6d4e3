"""Document-level metadata: front matter, sidecars, marking banners, titles, document types."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.errors import DocumentError, UserError
from ingest.records import Page

DOC_TYPES = ("law", "policy", "doctrine", "guidance", "plan", "assessment", "other")

# Classification levels, lowest first; a document's marking is the highest found on its pages.
LEVELS = ("UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET")
_LEVEL_NAMES = {"UNCLASSIFIED": "UNCLASSIFIED", "UNCLASS": "UNCLASSIFIED", "CUI": "CUI",
                "CONTROLLED UNCLASSIFIED INFORMATION": "CUI", "CONFIDENTIAL": "CONFIDENTIAL", "SECRET": "SECRET",
                "TOP SECRET": "TOP SECRET"}
# The abbreviations of banners ("S//NF") and portion marks ("(S)", "(U//FOUO)"): alone they are
# letters, so they count only with "//", in parentheses or after "Classification:".
_LEVEL_ABBREVIATIONS = {"U": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET", "TS": "TOP SECRET"}
_CAVEAT_NAMES = {"NF": "NOFORN", "NOT RELEASABLE TO FOREIGN NATIONALS": "NOFORN", "OC": "ORCON",
                 "ORIGINATOR CONTROLLED": "ORCON", "FOR OFFICIAL USE ONLY": "FOUO", "LIMDIS": "LIMDIS"}
# Banner text that is a note, not a dissemination control ("UNCLASSIFIED // NOTIONAL - FOR
# DEMONSTRATION"); every other caveat is kept and required of the reader (fail closed).
_NOT_A_CONTROL = re.compile(r"\b(NOTIONAL|EXERCISE|DEMONSTRATION|TRAINING|SAMPLE|EXAMPLE|DRAFT)\b")
_LABEL = re.compile(r"^(?:CLASSIFICATION|CLASSIFIED|MARKING|CLASS)\s*:\s*", re.I)
_WORD_LEVEL = re.compile(r"^(TOP SECRET|SECRET|CONFIDENTIAL|CONTROLLED UNCLASSIFIED INFORMATION|CUI|UNCLASSIFIED|UNCLASS)"
                         r"\s*(?://\s*(.*))?$")
_ABBREVIATED = re.compile(r"^(TS|S|C|U)\s*//\s*(.+)$")
# a portion mark opening a paragraph: "(S) text", "(U//FOUO) text", "(TS//SI//NF) text"
_PORTION = re.compile(r"^\s*\((TS|S|C|U|CUI)((?:\s*//\s*[A-Z][A-Z0-9 ,/-]*?)?)\)\s+\S", re.M)


class MarkingError(UserError):
    """A banner or marking that names a classification this product cannot read."""


def _caveats(text: str | None) -> list[str]:
    out = []
    for part in (text or "").split("//"):
        part = " ".join(part.replace("*", "").split()).strip(" ,.")
        if not part or _NOT_A_CONTROL.search(part):
            continue
        part = _CAVEAT_NAMES.get(part, part)
        if part.startswith("REL TO"):
            part = "REL TO " + ", ".join(c for c in re.split(r"[\s,]+", part[len("REL TO"):]) if c)
        if part not in out:
            out.append(part)
    return out


def _clean(line: str) -> tuple[str, bool]:
    """The line without Markdown emphasis, heading marks and a "Classification:" label, upper
    case; and whether it carried that label."""
    text = re.sub(r"[*_`#>|]+", " ", line).strip()
    labelled = bool(_LABEL.match(text))
    text = _LABEL.sub("", text)
    return " ".join(text.upper().split()), labelled


def normalize_marking(line: str) -> str | None:
    """A banner line as 'LEVEL // CAVEAT // ...', or None when the line is not a banner.
    Reads 'SECRET//NOFORN', 'S//NF', '**SECRET**', 'Classification: SECRET', 'TS//SCI'.
    Raises MarkingError for a labelled line ('Classification: ...') it cannot read."""
    text, labelled = _clean(line)
    match = _WORD_LEVEL.match(text)
    if match:
        level, rest = _LEVEL_NAMES[match.group(1)], match.group(2)
    else:
        match = _ABBREVIATED.match(text)
        if match:
            level, rest = _LEVEL_ABBREVIATIONS[match.group(1)], match.group(2)
        elif labelled and text.split("//")[0].strip() in _LEVEL_ABBREVIATIONS:
            head, _, rest = text.partition("//")
            level = _LEVEL_ABBREVIATIONS[head.strip()]
        elif labelled and text and len(text.split("//")[0].split()) <= 4:
            # a short value after the label is meant as a marking; an empty one (a form's blank
            # "CLASSIFICATION:" field, DSCA_02-41) or a sentence is not a banner
            raise MarkingError(f"its marking line '{line.strip()}' names no classification level this product "
                               f"knows ({', '.join(LEVELS)})")
        else:
            return None
    return " // ".join([level, *_caveats(rest)])


def checked_marking(value) -> str:
    """An explicit marking (--marking, sidecar, front matter, the Documents page) normalized;
    MarkingError when its level is unknown (an unknown marking is never accepted)."""
    text = str(value).strip()
    marking = normalize_marking(text) if text else None
    if marking is None:
        _, labelled = _clean(text)
        head = text.upper().split("//")[0].strip()
        if head in _LEVEL_ABBREVIATIONS:
            return normalize_marking(f"Classification: {text}")
        raise MarkingError(f"unknown marking '{text}' (use one of {', '.join(LEVELS)}, optionally with "
                           "// caveats)")
    return marking


def portion_markings(text: str) -> list[tuple[str, bool]]:
    """The portion marks opening paragraphs, each with whether it is a bare letter ("(S)").
    A bare letter that follows its predecessor in the text ('(B) ... (C) ...') is list
    numbering, not CONFIDENTIAL."""
    found = []
    starts = set(re.findall(r"(?m)^\s*\(([A-Z])\)\s", text))
    for match in _PORTION.finditer(text):
        level, rest = match.group(1), match.group(2)
        if not rest and len(level) == 1 and chr(ord(level) - 1) in starts:
            continue
        found.append((" // ".join([_LEVEL_NAMES.get(level) or _LEVEL_ABBREVIATIONS[level], *_caveats(rest)]),
                      not rest))
    return found


def marking_parts(marking: str | None) -> tuple[str, list[str]]:
    """'SECRET // REL TO USA, GBR // NOFORN' -> ('SECRET', ['REL TO USA, GBR', 'NOFORN'])."""
    parts = [p.strip().upper() for p in (marking or "").split("//") if p.strip()]
    if not parts:
        return "UNCLASSIFIED", []
    return parts[0], parts[1:]


def parse_front_matter(text: str) -> tuple[dict, str]:
    """A leading '---' YAML block and the text after it ({} and the text when absent)."""
    match = re.match(r"^\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.S)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, text  # not front matter after all: a horizontal rule, say
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end():]


def read_sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.name + ".meta.yaml")
    if not sidecar.exists():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocumentError(path, f"its sidecar {sidecar.name} is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DocumentError(path, f"its sidecar {sidecar.name} must be a mapping of fields")
    return data


def marking_rank(marking: str | None) -> int:
    if not marking:
        return -1
    level = marking.split("//")[0].strip().upper()
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)  # unknown: above everything


def highest_marking(markings) -> str | None:
    """The marking covering all of them: the highest level, every caveat, and of "REL TO"
    lists only the countries all of them name (fail closed)."""
    found = [m for m in markings if m]
    if not found:
        return None
    level = max(found, key=marking_rank).split("//")[0].strip()
    caveats: list[str] = []
    countries: set[str] | None = None
    for marking in found:
        for caveat in marking_parts(marking)[1]:
            if caveat.startswith("REL TO"):
                named = set(re.split(r"[\s,]+", caveat[len("REL TO"):].strip())) - {""}
                countries = named if countries is None else countries & named
            elif caveat not in caveats:
                caveats.append(caveat)
    if countries is not None:
        caveats.insert(0, "REL TO " + ", ".join(sorted(countries, key=lambda c: (c != "USA", c))))
    return " // ".join([level, *caveats])


def lower_than(explicit: str | None, detected: str | None) -> bool:
    """Whether an explicit marking would show the document to someone its detected marking
    would not: a lower level, or a caveat dropped."""
    if not detected:
        return False
    if marking_rank(explicit) < marking_rank(detected):
        return True
    return highest_marking([explicit, detected]) != highest_marking([explicit])


def detect_marking(pages: list[Page], extra_lines: list[str] = ()) -> str | None:
    """The marking of a document from its banners (the first or last lines of any page, a
    "Classification:" line near the top) and its portion marks ("(S)", "(U//FOUO)").
    When they disagree the highest wins (fail closed: the document stays usable, for fewer
    readers); a labelled line that cannot be read raises MarkingError (refused: it could
    name anything)."""
    candidates = list(extra_lines)
    for index, page in enumerate(pages):
        lines = [l for l in page.text.splitlines() if l.strip()]
        candidates.extend(lines[:2] + lines[-2:])
        if index == 0:
            candidates.extend(l for l in lines[:15] if _LABEL.match(_clean_label_probe(l)))
    found = [normalize_marking(line) for line in candidates]
    portions = [mark for page in pages for mark in portion_markings(page.text)]
    # A document that uses portion marking marks every paragraph; one bare "(S)" in a
    # document with no other portion mark is an abbreviation ("(S)MDE" in a DSCA policy
    # memo, which this rule alone would have made SECRET), not a marking.
    found += [marking for marking, bare in portions if len(portions) >= 2 or not bare]
    return highest_marking(found)


def _clean_label_probe(line: str) -> str:
    return re.sub(r"[*_`#>|]+", " ", line).strip()


def usable_title(value) -> bool:
    """A PDF's stored title is often junk: a file name, 'Microsoft Word - x.docx', a web
    page's '... | Site' title; a heading from the text is better then."""
    if not value or not str(value).strip():
        return False
    text = str(value).strip()
    return not (len(text) < 4 or "|" in text or text.lower().startswith(("microsoft word", "untitled"))
                or re.search(r"\.(docx?|pdf|txt|html?)$", text, re.I))


def _is_banner(line: str) -> bool:
    try:
        return normalize_marking(line) is not None
    except MarkingError:
        return True


def first_heading(pages: list[Page]) -> str:
    """The first line of the text that is not a marking banner and reads like a title."""
    for page in pages[:2]:
        for line in page.text.splitlines():
            line = line.strip().lstrip("#").strip()
            if len(line) >= 4 and not _is_banner(line) and len(line.split()) <= 20:
                return line
    return ""


_TYPE_HINTS = [  # first match wins; checked against the title, then the opening text
    ("law", r"\b(u\.s\.c\.|united states code|public law|act of \d{4}|statute|authorities primer)\b"),
    ("assessment", r"\b(assessment|after[- ]action|evaluation report|lessons learned)\b"),
    ("plan", r"\b(campaign plan|cooperation plan|country plan|engagement plan|operation plan|oplan|conplan)\b"),
    ("doctrine", r"\b(doctrine|joint publication|primer|handbook)\b"),
    ("policy", r"\b(policy|directive|strategy)\b"),
    ("guidance", r"\b(guidance|manual|memorandum|instruction|procedures?)\b"),
]


def guess_doc_type(title: str, opening_text: str) -> str:
    for text in (title, opening_text[:3000]):
        for doc_type, pattern in _TYPE_HINTS:
            if re.search(pattern, text or "", re.I):
                return doc_type
    return "other"


def checked_doc_type(path: Path, value) -> str:
    doc_type = str(value).strip().lower()
    if doc_type not in DOC_TYPES:
        raise DocumentError(path, f"unknown document type '{value}' (use one of {', '.join(DOC_TYPES)})")
    return doc_type
