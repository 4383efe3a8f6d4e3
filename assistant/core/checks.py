"""The checks run on every answer after it is written, whichever answerer wrote it: the one
place they are listed and run (Assistant._finish calls run_checks).

A check reads the answer and the passages it was answered from, and records what it finds on
the answer (flags in the text, `unsupported`, notes). Add a check by appending it to
POST_ANSWER_CHECKS; each runs on answers that are not refusals, in order. The claim check runs
first: the checks after it add only text taken from the passages, each piece cited."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from assistant.core.answer_completion import complete_lists, note_conflicts
from assistant.core.answers import Answer
from assistant.core.claims import check_answer
from assistant.core.passages import Passage


@dataclass(frozen=True)
class CheckContext:
    passages: list[Passage]  # retrieved for the question, best first
    embedder: object  # for checks that compare meaning
    glossary: object = None  # the visible documents' acronyms (assistant.core.acronyms.Glossary)
    reader: object = None  # the store as the user may see it: a list's items, a paragraph's parents
    # the answerer composed the text itself (assistant/core/composition.py: the extractive
    # answerer), so its lists are whole and disagreeing sources already noted
    composed: bool = False

    def passage_of(self, chunk_id: str) -> Passage | None:
        return next((p for p in self.passages if p.chunk_id == chunk_id), None)

    def cited_texts(self, answer: Answer) -> dict[int, str]:
        """Marker number -> the text of the passage that citation points to, after its
        document's title: a sentence may name the document it cites ("the J5 Memorandum [2]").
        A citation to a passage read beside the ones found (a list's items) is its quote."""
        texts = {}
        for citation in answer.citations:
            passage = self.passage_of(citation.chunk_id)
            texts[citation.n] = f"{citation.title}. {passage.text}" if passage is not None else citation.quote
        return texts


Check = Callable[[Answer, CheckContext], None]


def check_claims(answer: Answer, context: CheckContext) -> None:
    """Every sentence held against the passages it cites (assistant/core/claims.py); a sentence
    they do not support is listed in `unsupported` and flagged in the text. A marker with no
    citation behind it stays in the text and is flagged."""
    flagged, checks = check_answer(answer.answer, context.cited_texts(answer), context.embedder, context.glossary)
    answer.unsupported = [c.sentence for c in checks if not c.supported]
    if answer.unsupported:
        answer.answer = flagged


def check_conflicts(answer: Answer, context: CheckContext) -> None:
    """Sources that disagree on the figure asked for: the answer says so in one sentence, each
    value cited, and names the one that governs or says it cannot tell; Answer.conflicts lists
    it (assistant/core/answer_completion.py). A composed answer already carries it."""
    if not context.composed:
        note_conflicts(answer, context.passages, context.reader, context.glossary)


def check_lists(answer: Answer, context: CheckContext) -> None:
    """A list a cited passage announces comes whole: the items the answer leaves out are added
    as cited bullets, or, when they cannot be found, the answer says how many it gives. A
    composed answer already gives its lists whole."""
    if not context.composed:
        complete_lists(answer, context.passages, context.reader)


POST_ANSWER_CHECKS: tuple[Check, ...] = (check_claims, check_conflicts, check_lists)


def run_checks(answer: Answer, context: CheckContext, timings: dict,
               checks: tuple[Check, ...] = POST_ANSWER_CHECKS) -> Answer:
    if answer.refused:
        return answer
    started = time.perf_counter()
    for check in checks:
        check(answer, context)
    timings["check"] = (time.perf_counter() - started) * 1000
    return answer
