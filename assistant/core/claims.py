"""Claim checking, for every backend: each sentence of an answer is held against the
passages it cites. A sentence without a marker, a marker that points to no passage, a figure
or name that no cited passage holds, or wording its passage does not support goes into
`unsupported` and is flagged in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.extractive import mentions
from assistant.core.terms import content_terms, names_in, numbers_in
from ingest.sentences import split_sentences

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
FLAG = " [unsupported]"
LEADING_MARKERS = re.compile(r"^((?:\s*\[\d+(?:\s*,\s*\d+)*\])+[\s.;:,]*)")
MIN_LEXICAL = 0.6  # share of a claim's content words found in its passages
MIN_SEMANTIC = 0.7  # or: a lower overlap with a passage sentence this close in meaning
MIN_LEXICAL_WITH_SEMANTIC = 0.35


@dataclass
class ClaimCheck:
    sentence: str
    markers: list[int]
    supported: bool
    reason: str = ""


def markers_of(sentence: str) -> list[int]:
    return [int(n) for group in MARKER.findall(sentence) for n in group.split(",")]


def check_sentence(sentence: str, passages: dict[int, str], embedder=None, glossary=None) -> ClaimCheck:
    markers = markers_of(sentence)
    claim = MARKER.sub("", sentence).strip()
    if not markers:
        return ClaimCheck(sentence, markers, False, "no citation marker")
    unknown = [n for n in markers if n not in passages]
    if unknown:
        return ClaimCheck(sentence, markers, False, f"cites [{unknown[0]}], which is not a retrieved passage")
    cited = " ".join(passages[n] for n in markers)
    cited_numbers = numbers_in(cited)
    invented = sorted(numbers_in(claim) - cited_numbers)
    if invented:
        return ClaimCheck(sentence, markers, False, f"figure {invented[0]} is not in the cited passage")
    unknown_names = [n for n in names_in(claim) if not mentions(n.strip("'s"), cited, glossary)]
    if unknown_names:
        return ClaimCheck(sentence, markers, False, f"'{unknown_names[0]}' is not in the cited passage")
    terms = set(content_terms(claim))
    if not terms:
        return ClaimCheck(sentence, markers, True)
    cited_terms = set(content_terms(cited))
    lexical = len(terms & cited_terms) / len(terms)
    if lexical >= MIN_LEXICAL:
        return ClaimCheck(sentence, markers, True)
    if embedder is not None and lexical >= MIN_LEXICAL_WITH_SEMANTIC:
        candidates = split_sentences(cited) or [cited]
        vectors = embedder.encode([claim] + candidates)
        if float((vectors[1:] @ vectors[0]).max()) >= MIN_SEMANTIC:
            return ClaimCheck(sentence, markers, True)
    return ClaimCheck(sentence, markers, False, "the cited passage does not support it")


def claims_of(text: str) -> list[str]:
    """The sentences of a line of answer, each with its markers. The splitter ends a sentence
    at a closing bracket, parenthesis or quote ("... personnel.] [1].", "... legislation.)
    [2].", "Transition Support (Iraq). . . [3]."), which leaves the marker a fragment of its
    own or at the head of the next sentence, and the quoted sentence flagged as uncited: such
    markers go back to the sentence before."""
    claims: list[str] = []
    for sentence in split_sentences(text):
        leading = LEADING_MARKERS.match(sentence)
        if claims and leading:  # "[1]. The next sentence": the markers close the one before
            claims[-1] = f"{claims[-1]} {leading.group(1).strip()}"
            sentence = sentence[leading.end():]
        if sentence.strip():
            claims.append(sentence)
    return claims


def check_answer(text: str, passages: dict[int, str], embedder=None, glossary=None) -> tuple[str, list[ClaimCheck]]:
    """The answer text with unsupported sentences flagged, and the check of each sentence."""
    # line by line: a list's items are claims of their own, each with its own marker, and
    # flagging keeps the answer's lines as they were
    checks, lines = [], []
    for line in text.split("\n"):
        bullet = re.match(r"^\s*[-*]\s+", line)
        body = line[bullet.end():] if bullet else line
        found = [check_sentence(s, passages, embedder, glossary) for s in claims_of(body)]
        checks += found
        lines.append((bullet.group(0) if bullet else "") + " ".join(
            c.sentence if c.supported else c.sentence + FLAG for c in found))
    return "\n".join(lines), checks
