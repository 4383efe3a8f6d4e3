"""The refusal: what an answerer says when the documents do not answer, with the closest
passages it shows instead.

The wording is decided against those closest passages, because they are what the reader
checks it against: a refusal that says "the passages do not mention Zarvia" beside a passage
about Zarvia reads as a bug. A term the answerer missed that a shown passage does mention is
said as it is: those passages mention it but do not say what was asked."""

from __future__ import annotations

from assistant.core.answers import Answer
from assistant.core.citing import best_sentence, citation_for
from assistant.core.question_analysis import mentions

CLOSEST_SHOWN = 3
_NOT_MENTIONED = "the passages found do not mention "


def shown_text(passage) -> str:
    """What a reader sees of a passage beside a refusal: its document's title and names,
    its headings and its text."""
    return " ".join([passage.title, passage.identity, passage.heading_path, passage.text])


def refusal_reason(reason: str, missing, closest_passages, glossary=None) -> str:
    """`reason` as the answerer gave it, unless it claims a term is not mentioned that a
    shown passage mentions. `missing`: the terms of the question the answerer found no
    answer for (empty: the reason is about something else and is kept)."""
    missing = list(missing or ())
    if not missing:
        return reason
    shown = [shown_text(p) for p in closest_passages]
    present = [t for t in missing if any(mentions(t, text, glossary) for text in shown)]
    absent = [t for t in missing if t not in present]
    parts = []
    if absent:
        parts.append(_NOT_MENTIONED + ", ".join(absent))
    if present:
        subject = " and ".join(present) if len(present) <= 2 else ", ".join(present)
        about = " about it" if len(present) == 1 else ""
        parts.append(f"those that mention {subject} do not say what was asked{about}" if absent
                     else f"the passages found mention {subject} but do not say what was asked{about}")
    return ", and ".join(parts) if absent else parts[0]


def refusal(asked, answerer, reason: str, missing=()) -> Answer:
    """The refused Answer for `asked` (assistant.core.answerers.Asked) by `answerer`."""
    closest_passages = asked.passages[:CLOSEST_SHOWN]
    closest = []
    for n, passage in enumerate(closest_passages, start=1):
        start, end = best_sentence(passage, asked.standalone)
        closest.append(citation_for(n, passage, start, end, passage.score))
    reason = refusal_reason(reason, missing, closest_passages, asked.glossary)
    text = f"The documents do not answer this question: {reason}."
    if closest:
        text += " The closest passages are " + "; ".join(
            f"{c.title}, page {c.page}" + (f", paragraph {c.section}" if c.section else "") for c in closest) + "."
    return Answer(question=asked.question, answer=text, refused=True, mode=answerer.mode, closest=closest,
                  standalone_question=asked.rewritten, backend=answerer.label)
