"""Sentence splitting for chunk boundaries, answer extraction and claim checking.

Written by hand because LangChain's splitters cut by characters, and the NLTK and spaCy
splitters need models downloaded at run time. This one knows the abbreviations and paragraph
numbers of planning documents ("U.S.C.", "Gen.", "C5.3.2.", "3.b.(2)"), which generic
splitters break on.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "u.s", "u.s.c", "u.k", "u.n", "e.g", "i.e", "etc", "vs", "no", "nos", "para", "paras", "sec",
    "secs", "fig", "art", "ch", "vol", "pp", "p", "gen", "lt", "col", "maj", "capt", "cdr", "adm",
    "sgt", "cpl", "pvt", "brig", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "co",
    "corp", "ltd", "dept", "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "approx", "est", "min", "max", "ref", "encl", "atch", "cf", "al", "govt",
    "r.adm", "v.adm", "ltcol", "lt.col", "usn", "usa", "usaf", "usmc",
}
# A paragraph number such as "C5.3.2." or "3.b.(2)" or "1." ends with a period that does not
# end a sentence.
_PARAGRAPH_NUMBER = re.compile(r"^(?:C\d+(?:\.\d+)*\.|(?:\d{1,3}|[A-Za-z])(?:\.(?:\d{1,3}|[a-z]))*\.(?:\(\w{1,3}\))*)$")
_CANDIDATE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9§$])")
MIN_SENTENCE_WORDS = 3


def _ends_with_abbreviation(text: str) -> bool:
    words = text.split()
    token = words[-1] if words else ""
    bare = token.rstrip(".!?\"')]").lower().lstrip("(\"'[")
    if bare in _ABBREVIATIONS:
        return True
    if re.fullmatch(r"[a-z]", bare):  # an initial: "Miriam T. Castellanos"
        return True
    # a paragraph number opens a paragraph; elsewhere "CORAL SHIELD 24." ends a sentence
    return len(words) == 1 and bool(_PARAGRAPH_NUMBER.match(token))


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, covering it without gaps except
    whitespace. Very short pieces ("General.") are joined to the sentence that follows."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end() - (len(match.group(0)) - len(match.group(0).rstrip()))
        piece = text[start:end]
        if _ends_with_abbreviation(piece):
            continue
        spans.append((start, end))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    merged: list[tuple[int, int]] = []
    carry = None
    for span in spans:
        if carry is not None:
            span = (carry, span[1])
            carry = None
        if len(text[span[0]:span[1]].split()) < MIN_SENTENCE_WORDS and span is not spans[-1]:
            carry = span[0]
            continue
        merged.append(span)
    if carry is not None:
        merged.append((carry, spans[-1][1]))
    return merged


def split_sentences(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in split_spans(text)]
