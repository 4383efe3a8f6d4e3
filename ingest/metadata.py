"""Document-level metadata: front matter, sidecars, marking banners, titles, document types."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.errors import DocumentError
from ingest.records import Page

DOC_TYPES = ("law", "policy", "doctrine", "guidance", "plan", "assessment", "other")

# Classification levels, lowest first; a document's marking is the highest found on its pages.
LEVELS = ("UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET")
_LEVEL_RE = re.compile(
    r"^\s*(TOP SECRET|SECRET|CONFIDENTIAL|CONTROLLED UNCLASSIFIED INFORMATION|CUI|UNCLASSIFIED)"
    r"\s*(?://\s*(.*))?$")
# Caveats kept with the level; other banner text (e.g. "NOTIONAL - FOR DEMONSTRATION") is not
# a dissemination control.
_CAVEAT_RE = re.compile(r"\b(REL TO [A-Z ,]+|NOFORN|FOUO|FEDCON|NOCON|DL ONLY|FED ONLY)\b")


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


def normalize_marking(line: str) -> str | None:
    match = _LEVEL_RE.match(line.strip().upper())
    if not match:
        return None
    level = "CUI" if match.group(1) == "CONTROLLED UNCLASSIFIED INFORMATION" else match.group(1)
    caveats = _CAVEAT_RE.findall(match.group(2) or "")
    return " // ".join([level, *[c.strip().rstrip(",") for c in caveats]])


def marking_rank(marking: str | None) -> int:
    if not marking:
        return -1
    level = marking.split("//")[0].strip().upper()
    return LEVELS.index(level) if level in LEVELS else -1


def highest_marking(markings) -> str | None:
    found = [m for m in markings if m]
    return max(found, key=marking_rank) if found else None


def detect_marking(pages: list[Page], extra_lines: list[str] = ()) -> str | None:
    """The highest banner found in the first or last lines of any page."""
    candidates = list(extra_lines)
    for page in pages:
        lines = [l for l in page.text.splitlines() if l.strip()]
        candidates.extend(lines[:2] + lines[-2:])
    return highest_marking(normalize_marking(line) for line in candidates)


def usable_title(value) -> bool:
    """A PDF's stored title is often junk: a file name, 'Microsoft Word - x.docx', a web
    page's '... | Site' title; a heading from the text is better then."""
    if not value or not str(value).strip():
        return False
    text = str(value).strip()
    return not (len(text) < 4 or "|" in text or text.lower().startswith(("microsoft word", "untitled"))
                or re.search(r"\.(docx?|pdf|txt|html?)$", text, re.I))


def first_heading(pages: list[Page]) -> str:
    """The first line of the text that is not a marking banner and reads like a title."""
    for page in pages[:2]:
        for line in page.text.splitlines():
            line = line.strip().lstrip("#").strip()
            if len(line) >= 4 and not normalize_marking(line) and len(line.split()) <= 20:
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
