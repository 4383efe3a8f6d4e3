"""What the composition gives an extractive answer, given to an answer the answerer did not
compose (a chat model's): the note that cited sources disagree, and the rest of a list its
passage announces (issue 13).

Both run after the claim check and add only text taken from the passages, each sentence or
bullet with its own citation: a citation the answer already has is reused when it quotes the
same sentence, otherwise the next free number is added. The rules are composition.py's and
conflicts.py's, not copies: which amounts are about the question, which governs, what a list
announcement is and where its items are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.answers import Answer
from assistant.core.citing import citation_for
from assistant.core.claims import MARKER
from assistant.core.composition import (ANNOUNCES, MAX_ITEMS, NUMBER_WORDS, Piece, announced_count, asks_several,
                                        display_text, inline_items, item_text, list_items, usable, with_marker)
from assistant.core.conflicts import AMOUNT, Conflict, Stated, disagreements
from assistant.core.passages import Passage
from assistant.core.terms import content_terms, query_terms
from ingest.sentences import split_sentences, split_spans

MIN_ITEM_SHARE = 0.5  # share of an item's own words the answer must hold for the item to count as given
LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\S", re.M)  # a bullet or numbered line of the answer


def asked_question(answer: Answer) -> str:
    """The question as it was searched: a follow-up rewritten with the conversation."""
    return answer.standalone_question or answer.question


def cite(answer: Answer, passage: Passage, start: int, end: int, score: float) -> int:
    """The marker number for a sentence of a passage: the answer's own citation when one
    quotes it, else a new citation numbered after every number the text already uses (a
    marker the model wrote for no passage included, so it cannot come to point somewhere)."""
    quote = passage.text[start:end].strip()
    for citation in answer.citations:
        if citation.chunk_id == passage.chunk_id and citation.quote == quote:
            return citation.n
    used = [c.n for c in answer.citations] + [int(n) for g in MARKER.findall(answer.answer) for n in g.split(",")]
    n = max(used, default=0) + 1
    answer.citations.append(citation_for(n, passage, start, end, score))
    return n


def append_lines(answer: Answer, lines: list[str]) -> None:
    """Prose runs on after prose; a list's lead and its bullets stand on lines of their own."""
    text = answer.answer.rstrip()
    for line in lines:
        last = text.rsplit("\n", 1)[-1]
        joins_prose = (text and not line.startswith("- ") and not line.endswith(":")
                       and not last.lstrip().startswith(("-", "*", "•")) and not last.endswith(":"))
        text = (text + " " + line) if joins_prose else (text + "\n" + line if text else line)
    answer.answer = text


def _cited_first(answer: Answer, passages: list[Passage]) -> list[tuple[Passage, str | None]]:
    """The passages the answer cites (in its markers' order, with the quote each citation
    relies on), then the others retrieved for the question, best first."""
    by_id = {p.chunk_id: p for p in passages}
    out, seen = [], set()
    for citation in sorted(answer.citations, key=lambda c: c.n):
        passage = by_id.get(citation.chunk_id)
        if passage is not None and passage.chunk_id not in seen:
            seen.add(passage.chunk_id)
            out.append((passage, citation.quote))
    return out + [(p, None) for p in passages if p.chunk_id not in seen]


# --- sources that disagree ----------------------------------------------------------------------
def stated_amounts(answer: Answer, passages: list[Passage]) -> list[Stated]:
    """The sentences that state an amount, in the order a disagreement is looked for: the
    cited passages first, each with the sentence its citation quotes first, then the passages
    the answer was given but did not cite (a model may cite one figure and pass over the
    other)."""
    pool = []
    for passage, quote in _cited_first(answer, passages):
        spans = split_spans(passage.text)
        spans.sort(key=lambda s: passage.text[s[0]:s[1]].strip() != quote)  # stable: the quoted one first
        for start, end in spans:
            text = passage.text[start:end].strip()
            if AMOUNT.search(text):
                pool.append(Stated(passage, start, end, text, passage.score))
    return pool


def conflicts_for(answer: Answer, passages: list[Passage], reader=None, glossary=None) -> list[Conflict]:
    """The disagreement on the amount asked for among the passages of an answer that states
    an amount, as conflicts.find_conflicts decides it for the extractive answer."""
    question = asked_question(answer)
    if not AMOUNT.search(answer.answer) or asks_several(question):
        return []  # no amount given, or the question asks for several (two figures are expected)
    return disagreements(question, stated_amounts(answer, passages), tuple({p.title for p in passages}),
                         reader, glossary)


def note_conflicts(answer: Answer, passages: list[Passage], reader=None, glossary=None) -> None:
    """The one sentence that says the sources disagree, each value cited, and what governs,
    added to the text; Answer.conflicts lists it, as for an extractive answer."""
    found = conflicts_for(answer, passages, reader, glossary)
    for conflict in found:
        numbers = [cite(answer, v.passage, v.start, v.end, v.score) for v in conflict.values]
        append_lines(answer, [conflict.sentence(numbers)])
    answer.conflicts = answer.conflicts + [c.as_dict() for c in found]


# --- announced lists ----------------------------------------------------------------------------
@dataclass
class Announcement:
    """A sentence that announces a list, in a passage the answer cites."""
    piece: Piece
    count: int | None  # None: an open list ("the following")
    quoted: bool  # the answer's citation quotes this very sentence

    asked: bool  # it announces the very thing the question asks for

    @property
    def phrase(self) -> str:
        """'six capability gaps' as the document says it ('Six' at a sentence's start made
        lower case); '' for an open list."""
        match = ANNOUNCES.search(display_text(self.piece.text))
        if not (match and self.count):
            return ""
        return match.group(0)[:len(match["count"])].lower() + match.group(0)[len(match["count"]):]


def announcements(answer: Answer, passages: list[Passage]) -> list[Announcement]:
    """The list announcements the answer relies on: the sentence a citation quotes, or one in a
    cited passage that announces the very thing the question asks for ("What are ... capability
    gaps?" and "six capability gaps")."""
    asked = set(query_terms(asked_question(answer)))
    found, seen = [], set()
    for passage, quote in _cited_first(answer, passages):
        if quote is None:
            break  # only cited passages: the answer leans on them
        for start, end in split_spans(passage.text):
            sentence = passage.text[start:end].strip()
            count = announced_count(display_text(sentence))
            if count is False or inline_items(sentence, count) or (passage.chunk_id, start) in seen:
                continue
            match = ANNOUNCES.search(display_text(sentence))
            if count is not None and (count < 2 or _code_number(display_text(sentence), match)):
                continue  # "objective M4 supports", "the LOE 2 activities": no list of several
            names_asked = bool(match and count) and bool(set(content_terms(match["noun"])) & asked)
            if sentence == quote or names_asked:
                seen.add((passage.chunk_id, start))
                found.append(Announcement(Piece(passage, start, end, sentence, passage.score), count,
                                          sentence == quote, names_asked))
    return found


def given_items(answer_text: str, announcement: Announcement, items: list[Piece]) -> list[bool]:
    """For each item, whether the answer gives it: it holds at least MIN_ITEM_SHARE of the
    item's own words (those no other item of the list and not the announcement share)."""
    said = set(content_terms(MARKER.sub("", answer_text)))
    labels = [set(content_terms(item_text(i.text))) for i in items]
    common = set(content_terms(display_text(announcement.piece.text)))
    for a, b in ((a, b) for i, a in enumerate(labels) for b in labels[i + 1:]):
        common |= a & b
    out = []
    for label in labels:
        own = label - common or label
        own = {t for t in own if not t.isdigit()} or own  # "Gap 2": the number is the list's, not the item's
        out.append(bool(own) and len(own & said) / len(own) >= MIN_ITEM_SHARE)
    return out


def _code_number(sentence: str, match) -> bool:
    """Whether the announced count is part of a name ("LOE 2 activities", "TCO 1 objectives"):
    a number in digits after a capitalised word."""
    if match is None or not match["count"].isdigit():
        return False
    before = sentence[:match.start()].split()
    return bool(before) and bool(re.fullmatch(r"[A-Z][A-Za-z-]*", before[-1]))


def listed_count(answer_text: str, noun: str) -> int:
    """How many items the answer lists of the thing a list announces: the bullet or numbered
    lines right after a line of its own that names it and ends with a colon ("The six gaps
    are [1]:"); 0 when the answer presents no such list."""
    wanted = set(content_terms(noun))
    lines = answer_text.split("\n")
    most = 0
    for i, line in enumerate(lines):
        sentences = split_sentences(MARKER.sub("", line)) or [line]
        if not (sentences[-1].rstrip().endswith(":") and wanted & set(content_terms(sentences[-1]))):
            continue  # the list's own lead, not an earlier sentence of its line
        listed = 0
        for following in lines[i + 1:]:
            if not LIST_LINE.match(following):
                break
            listed += 1
        most = max(most, listed)
    return most


def _number_word(n: int) -> str:
    return "one" if n == 1 else next((w for w, v in NUMBER_WORDS.items() if v == n), str(n))


COUNT_QUESTION = re.compile(r"\bhow\s+(?:many|much)\b", re.I)


def counts_short(answer: Answer, announcement: Announcement) -> int | None:
    """How many items the answer gives, when it presents a list shorter than one the question
    asks for and the documents announce with a count whose items cannot be found; else None.
    A number and a plural are not enough to make a list ("15 days", "nine seats"): the question
    asks for that very thing, not how many of it, the count is one a list is written with (at
    most MAX_ITEMS), and the answer itself lists some of them under a line that names them."""
    count = announcement.count
    match = ANNOUNCES.search(display_text(announcement.piece.text))
    if not (count and 2 <= count <= MAX_ITEMS and announcement.asked and match):
        return None
    if COUNT_QUESTION.search(asked_question(answer)):
        return None
    given = listed_count(answer.answer, match["noun"])
    return given if 1 <= given < count else None


def complete_lists(answer: Answer, passages: list[Passage], reader=None) -> None:
    """The items of an announced list that the answer leaves out, added as cited bullets; when
    the items cannot be found, a sentence saying how many of the announced items it gives."""
    for announcement in announcements(answer, passages):
        items = [i for i in list_items(announcement.piece, announcement.count, reader)
                 if usable(item_text(i.text), min_words=1)]
        piece = announcement.piece
        if items:
            given = given_items(answer.answer, announcement, items)
            missing = [item for item, g in zip(items, given) if not g]
            if not missing:
                continue
            n = cite(answer, piece.passage, piece.start, piece.end, piece.score)
            if any(given):
                phrase = announcement.phrase
                lead = (f"The other {_number_word(len(missing))} of the {phrase} [{n}]:" if phrase
                        else f"The other items of the list [{n}]:")
            else:
                lead = with_marker(display_text(piece.text), [n], ":")
            bullets = ["- " + with_marker(item_text(i.text), [cite(answer, i.passage, i.start, i.end, i.score)], "")
                       for i in missing]
            append_lines(answer, [lead] + bullets)
        elif (given := counts_short(answer, announcement)) is not None:
            n = cite(answer, piece.passage, piece.start, piece.end, piece.score)
            append_lines(answer, [f"This answer gives {_number_word(given)} of the {announcement.phrase} "
                                  f"that the documents announce [{n}]."])
