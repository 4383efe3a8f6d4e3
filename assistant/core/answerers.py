"""Answerers: the components that turn the passages retrieved for a question into an Answer.

Both backends implement one protocol, as a built-in model and a plugin do in simonw/llm: the
extractive answerer (no model: sentences of the documents, the default) and the chat-model
answerer (any LangChain chat model: an OpenAI-compatible endpoint or Ollama). Which one
answers is chosen once, in assistant/services.py (make_answerer); the engine, the follow-up
rewriting and the app only ever hold an `Answerer`. The checks after an answer (claims, and
what assistant/core/checks.py lists) run on whichever answered, in the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Protocol, runtime_checkable

from assistant.core import followup, llm
from assistant.core.answer_params import AnswerParams
from assistant.core.answers import Answer
from assistant.core.citing import best_sentence, citation_for
from assistant.core.composition import compose
from assistant.core.extractive import ExtractiveAnswerer
from assistant.core.passages import Passage
from assistant.core.refusals import refusal


@dataclass(frozen=True)
class Asked:
    """A question ready to be answered: as the user asked it, as it was searched (rewritten
    with the conversation), the passages found, best first, and the glossary of and reader
    over the documents the user may see (for an answerer that reads around a passage)."""
    question: str
    standalone: str
    passages: list[Passage]
    glossary: object = None  # assistant.core.acronyms.Glossary
    reader: object = None  # ingest.reader.StoreReader, already narrowed to the user

    @property
    def rewritten(self) -> str | None:
        return self.standalone if self.standalone != self.question else None


@runtime_checkable
class Answerer(Protocol):
    name: str  # the backend: extractive | openai | ollama
    mode: str  # Answer.mode: "extractive" or "llm:<model>"
    label: str  # who answers, for a person: shown on each answer (Answer.backend)
    # whether the answerer composes its text itself (assistant/core/composition.py: lists
    # whole, disagreeing sources noted); if not, the post-answer checks add what is missing
    composes: bool

    def rewrite(self, question: str, history: list[str]) -> str:
        """A follow-up made standalone with the conversation's earlier questions (oldest first)."""

    def answer(self, asked: Asked) -> Answer:
        """The answer, not yet checked (the engine runs the post-answer checks)."""

    def stream(self, asked: Asked) -> Iterator[str | Answer]:
        """Text pieces as they are written, then the Answer, not yet checked."""


class ExtractiveBackend:
    """The default: sentences of the passages, picked and cited by ExtractiveAnswerer; no model."""

    name = "extractive"
    mode = "extractive"
    label = "extractive (sentences of the documents, no model)"
    composes = True

    def __init__(self, embedder, params: AnswerParams | None = None):
        self.extractor = ExtractiveAnswerer(embedder, params=params)

    def rewrite(self, question: str, history: list[str]) -> str:
        return followup.rewrite(question, history)

    def answer(self, asked: Asked) -> Answer:
        glossary = asked.glossary
        expansions = glossary.expansions(asked.standalone) if glossary is not None else ()
        extract = self.extractor.extract(asked.standalone, asked.passages, glossary, expansions)
        if extract.refused:
            return refusal(asked, self, extract.reason, extract.missing)
        # the answer's text: lead sentence first, lists whole, disagreeing sources noted
        # (assistant/core/composition.py)
        composed = compose(asked.standalone, extract, asked.passages, citation_for, asked.reader, glossary)
        return Answer(question=asked.question, answer=composed.text, refused=False, mode=self.mode,
                      citations=composed.citations, conflicts=composed.conflicts,
                      standalone_question=asked.rewritten, backend=self.label)

    def stream(self, asked: Asked) -> Iterator[str | Answer]:
        answer = self.answer(asked)  # written at once: the whole text is one piece
        yield answer.answer
        yield answer


class ChatModelBackend:
    """A LangChain chat model answering from the numbered passages (assistant/core/llm.py holds
    the prompt); it also rewrites follow-ups. A model is asked to follow the composition rules
    but may not: the post-answer checks note disagreeing sources and complete its lists."""

    composes = False

    def __init__(self, chat_model, name: str, where: str = ""):
        self.chat_model = chat_model
        self.name = name
        model = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None) or name
        self.mode = f"llm:{model}"
        self.label = f"{model} ({llm.BACKEND_LABELS.get(name, name)}" + (f" at {where})" if where else ")")

    def rewrite(self, question: str, history: list[str]) -> str:
        return followup.rewrite_with_model(question, history, self.chat_model)

    def answer(self, asked: Asked) -> Answer:
        if not asked.passages:
            return self._from_text(asked, "")
        return self._from_text(asked, llm.generate(self.chat_model, asked.standalone, asked.passages))

    def stream(self, asked: Asked) -> Iterator[str | Answer]:
        pieces = []
        if asked.passages:
            for piece in llm.stream(self.chat_model, asked.standalone, asked.passages):
                pieces.append(piece)
                yield piece
        yield self._from_text(asked, "".join(pieces))

    def _from_text(self, asked: Asked, text: str) -> Answer:
        if not asked.passages or llm.is_refusal(text):
            return refusal(asked, self, "the model found no answer in the passages")
        citations = []
        for n in sorted({int(n) for n in re.findall(r"\[(\d+)\]", text)}):
            if 1 <= n <= len(asked.passages):
                passage = asked.passages[n - 1]
                claim = " ".join(s for s in re.split(r"(?<=[.!?])\s+", text) if f"[{n}]" in s)
                start, end = best_sentence(passage, claim)
                citations.append(citation_for(n, passage, start, end, passage.score))
        return Answer(question=asked.question, answer=text.strip(), refused=False, mode=self.mode,
                      citations=citations, standalone_question=asked.rewritten, backend=self.label)
