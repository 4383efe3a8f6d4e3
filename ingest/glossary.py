"""Acronyms defined in the documents themselves ("Foreign Military Financing (FMF)"), found
at ingest time so questions can be expanded both ways before searching."""

from __future__ import annotations

import re

_DEFINITION = re.compile(r"((?:[A-Za-z][\w'&/-]*,?[\s-]+){1,9}?)\(([A-Z][A-Za-z0-9&/.-]{1,11})\)")
_SMALL = {"of", "and", "for", "the", "on", "in", "to", "a", "an", "&", "de", "with", "at", "by"}


def _initials_match(words: list[str], acronym: str) -> int:
    """How many trailing words spell the acronym (0 when they do not)."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    for take in range(1, min(len(words), 10) + 1):
        window = words[-take:]
        initials = [w[0].upper() for w in window if w.lower() not in _SMALL]
        # hyphenated words may contribute one letter per part ("Leader-Engagement")
        parts = [p[0].upper() for w in window if w.lower() not in _SMALL for p in re.split(r"[-/]", w) if p]
        every = [w[0].upper() for w in window]  # "Disaster and Civic Aid" -> DACA
        if letters in (initials, parts, every) and window[0].lower() not in _SMALL:
            return take
    return 0


def extract_glossary(texts: list[str]) -> list[tuple[str, str]]:
    found: dict[tuple[str, str], None] = {}
    for text in texts:
        for match in _DEFINITION.finditer(text):
            words = [w.rstrip(",") for w in match.group(1).split()]
            acronym = match.group(2).rstrip(".")
            if sum(c.isupper() for c in acronym) < 2:
                continue
            take = _initials_match(words, acronym)
            if take:
                expansion = " ".join(words[-take:])
                found[(acronym, expansion)] = None
    return list(found)
