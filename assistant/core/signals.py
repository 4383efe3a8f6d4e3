"""How the extractive answerer scores a sentence for a question (or one part of it): one
base score and a small table of named signals, each a test, a weight and the failure it is
there for. The weights live in AnswerParams (fitted by scripts/fit_answerer.py); a signal
that fires fully multiplies the score by (1 - weight), one that fires partly by less.

One scoring function serves the whole question and each of its parts, so the two cannot
drift apart again (they did while the formula was written twice).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable

from assistant.core.answer_params import AnswerParams
from assistant.core.passages import Passage
from assistant.core.question_analysis import (_ASKS_REASON, _GIVES_REASON, answer_specifics, asking_text, asked_kinds,
                                              expected_kind, holds_kind, mentions, question_parts, slot_check,
                                              specific_terms)
from assistant.core.terms import query_terms
from ingest.sentences import split_spans

FRAGMENT_WORDS = 8  # a sentence shorter than this is a heading-like fragment
DEFAULT_PASSAGE_SIMILARITY = 0.3  # a passage found by keyword only has no cosine of its own


@dataclass
class Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    terms: set
    score: float = 0.0
    semantic: float = 0.0
    lexical: float = 0.0
    # the same statement in other documents: cited beside this sentence, not repeated
    also: list = field(default_factory=list)


@dataclass
class Ask:
    """What is asked: the whole question, or one part of a question that asks several things."""

    text: str
    question: str  # the whole question: the figures it gives are not answers
    kind: str | None
    other_kinds: list[str]  # a bare second ask ("..., and when?") that is no part of its own
    weights: dict[str, float]  # question word -> weight (rarity among the candidates)
    specifics: list[str]  # names and figures the answer must be about
    years: set[str]  # a part's own year ("... in FY2027"), in the sentence or its heading
    asks_reason: bool
    slotted: bool
    glossary: object = None

    @classmethod
    def whole(cls, question: str, weights: dict[str, float], glossary=None) -> "Ask":
        asking = asking_text(question)
        kind = expected_kind(asking)
        # a question of several parts has each part's own ranking; one whose second ask is a
        # bare "and when?" has not
        others = asked_kinds(asking)[1:] if kind and len(question_parts(asking)) == 1 else []
        return cls(text=question, question=question, kind=kind, other_kinds=others, weights=weights,
                   specifics=answer_specifics(asking, glossary), years=set(),
                   asks_reason=bool(_ASKS_REASON.search(asking)),
                   slotted=slot_check(asking, "", glossary) is not None, glossary=glossary)

    @classmethod
    def part(cls, part: str, question: str) -> "Ask":
        terms = query_terms(part)
        years = set(re.findall(r"\b(?:FY\s?)?(20\d\d)\b", part)) - set(re.findall(r"FY\s?(20\d\d)\s?[-\u2013]", part))
        return cls(text=part, question=question, kind=expected_kind(part), other_kinds=[],
                   weights={t: 1.0 for t in terms}, specifics=[t for t in specific_terms(part) if not t[0].isdigit()],
                   years=years, asks_reason=bool(_ASKS_REASON.search(part)),
                   slotted=slot_check(part, "") is not None)


def support_text(passage: Passage, candidate: Candidate) -> str:
    """What a reader takes a sentence to be about: the document (its title and the names it
    goes by), the heading, the paragraph's opening sentence, and the sentence itself."""
    return " ".join([passage.title, passage.identity, passage.heading_path, lead(passage.text), candidate.text])


@functools.lru_cache(maxsize=4096)
def lead(text: str) -> str:
    """A passage's opening sentence (split once per passage: asked for per candidate and part)."""
    spans = split_spans(text)
    return text[spans[0][0]:spans[0][1]] if spans else ""


@dataclass(frozen=True)
class Signal:
    name: str  # also the AnswerParams field holding its weight
    test: Callable[[Ask, Candidate, Passage], float]  # 0 (silent) .. 1 (fires fully)
    why: str


def _kind_missing(ask, c, passage):
    return float(bool(ask.kind) and not holds_kind(ask.kind, c.text, ask.question))


def _second_kind_missing(ask, c, passage):
    if not ask.other_kinds:
        return 0.0
    return sum(not holds_kind(k, c.text, ask.question) for k in ask.other_kinds) / len(ask.other_kinds)


def _gives_no_reason(ask, c, passage):
    return float(ask.asks_reason and not _GIVES_REASON.search(c.text))


def _slot_unfilled(ask, c, passage):
    return float(ask.slotted and slot_check(ask.text, c.text, ask.glossary) is not None)


def _fragment(ask, c, passage):
    return float(len(c.text.split()) < FRAGMENT_WORDS)


def _off_subject(ask, c, passage):
    if not ask.specifics:
        return 0.0
    own = support_text(passage, c)
    return 1.0 - sum(mentions(t, own, ask.glossary) for t in ask.specifics) / len(ask.specifics)


# A memo's header block (addressees, "SUBJECT:", "In reply refer to:") or a line in capitals
# that the splitter ran into a sentence: on dsca-ci 16 of 57 answers led with such a sentence
# and 2 of the 16 held a fact of the answer.
HEADER_FIELD = re.compile(r"\b(?:SUBJECT|MEMORANDUM FOR|Memorandum For|In reply refer to|REFERENCES?|References|FROM|"
                          r"From|Prepared by|Approved by|Reviewed by|Classified by|DISTRIBUTION|Point of contact|POC)\s*:"
                          r"|\bMEMORANDUM FOR\b")
HEADER_CAPITALS = 0.5  # share of a sentence's words in capitals beyond which it is a header or title line


def in_capitals(text: str, min_words: int = 1) -> bool:
    """Whether most of a text's words (three letters or more, at least min_words of them) are
    written in capitals."""
    words = re.findall(r"[A-Za-z]{3,}", text)
    return len(words) >= min_words and sum(w.isupper() for w in words) / len(words) > HEADER_CAPITALS


@functools.lru_cache(maxsize=4096)
def _written_in_capitals(passage_text: str) -> bool:
    # cached: asked for each capitals sentence of a passage, for the whole question and each part
    return in_capitals(passage_text)


def _header_block(ask, c, passage):
    if HEADER_FIELD.search(c.text):
        return 1.0
    # A line in capitals stands out as a header only where the text around it is not in
    # capitals too: old message-format memos are written wholly in capitals ("DSCA IS THE
    # APPROVAL AUTHORITY; ..."), and on dsca-ci their sentences held a fact as often as any
    # other (17% against 16%) while the signal marked them all down.
    return float(in_capitals(c.text, min_words=4) and not _written_in_capitals(passage.text))


def _wrong_year(ask, c, passage):
    return float(bool(ask.years) and not all(mentions(y, passage.heading_path + " " + c.text) for y in ask.years))


SIGNALS: tuple[Signal, ...] = (
    Signal("kind_missing", _kind_missing,
           "'How much ...?' is answered by a sentence with an amount, 'when' by a date, 'who' by a person or office"),
    Signal("second_kind_missing", _second_kind_missing,
           "'Where were the radars delivered, and when?' wants the sentence that gives both"),
    Signal("gives_no_reason", _gives_no_reason,
           "a why-question prefers a sentence that gives a cause (soft: many causes go without 'because')"),
    Signal("slot_unfilled", _slot_unfilled,
           "'How many people ...' is answered by '<number> personnel', not by any number"),
    Signal("fragment", _fragment, "a heading-like fragment of a few words says little"),
    Signal("off_subject", _off_subject,
           "a figure for one partner does not answer a question about another: prefer sentences about what was named"),
    Signal("wrong_year", _wrong_year, "a part asking about FY2027 is not answered by the FY2026 figure"),
    Signal("header_block", _header_block,
           "a memo's header block or a line in capitals ('SUBJECT: ...', 'MEMORANDUM FOR ...') rarely holds the answer"),
)


def base_score(semantic: float, lexical: float, rank: int, passage: Passage, params: AnswerParams) -> float:
    similarity = passage.dense_score if passage.dense_score is not None else DEFAULT_PASSAGE_SIMILARITY
    return (params.semantic_weight * semantic + params.lexical_weight * lexical
            + params.passage_weight * similarity - params.rank_penalty * rank)


def lexical_share(ask: Ask, c: Candidate) -> float:
    total = sum(ask.weights.values()) or 1.0
    return sum(w for t, w in ask.weights.items() if t in c.terms) / total


# While parameters are fitted the same sentences are scored hundreds of times with other
# weights; what each signal says of a sentence does not depend on the weights, so the fit
# (evals/fitting.py) remembers it here. Off for the product: a cache keyed on text would
# have to be bounded and shared between threads for nothing.
_REMEMBERED: dict | None = None


def remember_signal_tests(on: bool) -> None:
    global _REMEMBERED
    _REMEMBERED = {} if on else None


def fired_signals(ask: Ask, c: Candidate, passage: Passage) -> tuple[float, ...]:
    if _REMEMBERED is None:
        return tuple(signal.test(ask, c, passage) for signal in SIGNALS)
    key = (ask.text, ask.question, tuple(ask.specifics), c.text, passage.chunk_id)
    found = _REMEMBERED.get(key)
    if found is None:
        found = _REMEMBERED[key] = tuple(signal.test(ask, c, passage) for signal in SIGNALS)
    return found


def score(ask: Ask, c: Candidate, semantic: float, passage: Passage, params: AnswerParams) -> float:
    """The sentence's score for what is asked: the base score times each signal's factor."""
    value = base_score(float(semantic), lexical_share(ask, c), c.passage_index, passage, params)
    for signal, fired in zip(SIGNALS, fired_signals(ask, c, passage)):
        if fired:
            value *= 1.0 - getattr(params, signal.name) * fired
    return value
