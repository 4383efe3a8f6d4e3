"""Conversation follow-ups ("and for FY2027?") rewritten into standalone questions.

Each answerer rewrites with its own means (assistant/core/answerers.py): the extractive one
by a rule that does what most follow-ups need (carry the previous question over and swap in
the new year, fiscal year or name), a chat-model one by asking the model, with the rule as
its fallback."""

from __future__ import annotations

import re

from assistant.core.terms import names_in

_FOLLOW_UP_START = re.compile(r"^\s*(and|also|what about|how about|same|then|but|or|now)\b", re.I)
_PRONOUN = re.compile(r"\b(it|its|they|their|them|that|those|this|these|there|he|she|his|her)\b", re.I)
_YEAR = re.compile(r"\bFY\s?(\d{2}|\d{4})\b|\b(20\d\d)\b", re.I)


def is_follow_up(question: str, history: list[str]) -> bool:
    if not history:
        return False
    words = question.split()
    return bool(_FOLLOW_UP_START.match(question) or len(words) <= 4
                or (_PRONOUN.search(question) and len(words) <= 12 and not names_in(question)))


def _years(text: str) -> list[str]:
    found = []
    for match in _YEAR.finditer(text):
        digits = match.group(1) or match.group(2)
        year = digits if len(digits) == 4 else "20" + digits
        found.append(("FY" if match.group(1) else "") + year)
    return found


def rewrite_by_rule(question: str, previous: str) -> str:
    """Swap the follow-up's years and names into the previous question; otherwise join them."""
    rewritten = previous
    years = _years(question)
    if years:
        old = list(_YEAR.finditer(previous))
        if old:
            replacement = years[0]
            for match in reversed(old):
                new = replacement if (match.group(1) or not replacement.startswith("FY")) else replacement[2:]
                rewritten = rewritten[:match.start()] + new + rewritten[match.end():]
    new_names = [n for n in names_in(question) if n.rstrip("?") not in previous and not _YEAR.fullmatch(n)]
    if new_names:
        old_names = [n for n in names_in(previous) if not n.isupper()]
        if old_names:
            rewritten = rewritten.replace(re.sub(r"'s$", "", old_names[0]), re.sub(r"'s$", "", new_names[0].rstrip("?")), 1)
    if rewritten == previous:
        rest = _FOLLOW_UP_START.sub("", question).strip(" ?")
        return f"{previous.rstrip(' ?')}, {rest}?" if rest else previous
    return rewritten


REWRITE_PROMPT = (
    "Rewrite the user's last message as one standalone question that can be understood without "
    "the conversation. Keep every name, number and year. Reply with the question only.")


def rewrite(question: str, history: list[str]) -> str:
    """By rule. history: the conversation's earlier standalone questions, oldest first."""
    if not is_follow_up(question, history):
        return question
    return rewrite_by_rule(question, history[-1])


def rewrite_with_model(question: str, history: list[str], chat_model) -> str:
    """By a LangChain chat model; the rule when its reply is not a question-sized line."""
    if not is_follow_up(question, history):
        return question
    from langchain_core.messages import HumanMessage, SystemMessage

    conversation = "\n".join(f"Earlier question: {q}" for q in history[-3:])
    reply = chat_model.invoke([SystemMessage(REWRITE_PROMPT),
                               HumanMessage(f"{conversation}\nLast message: {question}")])
    text = str(reply.content).strip().splitlines()[0].strip() if str(reply.content).strip() else ""
    return text if 5 < len(text) < 500 else rewrite_by_rule(question, history[-1])
