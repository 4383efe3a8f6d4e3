"""The question-answering flow shared by the CLI, the app, drafting and the evaluation:
follow-up rewriting -> hybrid retrieval -> an answerer -> claim checking -> citations ->
audit. The model, store and chat model are built once and handed in."""

from __future__ import annotations

import copy
import re
import time
from typing import Iterator

from assistant.core import llm
from assistant.access.profiles import UserProfile
from assistant.core.answer_params import AnswerParams
from assistant.core.answers import Answer, Citation
from assistant.access.audit import AuditLog
from assistant.core.claims import FLAG, check_answer
from assistant.core.composition import compose
from assistant.core.extractive import ExtractiveAnswerer, display_sentence
from assistant.core.followup import rewrite
from assistant.core.passages import Filters, Passage
from assistant.core.retrieval import HybridSearch
from ingest.reader import reader_of
from assistant.core.terms import content_terms
from ingest.errors import UserError
from ingest.metadata import highest_marking
from ingest.sentences import split_spans

MAX_QUESTION_CHARS = 2000
DEFAULT_K = 12


def citation_for(n: int, passage: Passage, start: int, end: int, score: float) -> Citation:
    return Citation(n=n, doc_id=passage.doc_id, source=passage.source, title=passage.title,
                    page=passage.page_at(start), section=passage.section, marking=passage.marking,
                    chunk_id=passage.chunk_id, quote=passage.text[start:end].strip(), score=round(float(score), 3),
                    doc_type=passage.metadata.get("doc_type", ""), ocr=bool(passage.metadata.get("ocr", False)))


def with_marker(sentence: str, n) -> str:
    """'The case costs $36 million.' -> 'The case costs $36 million [1].'"""
    sentence = sentence.rstrip()
    if sentence and sentence[-1] in ".!?":
        return f"{sentence[:-1]} [{n}]{sentence[-1]}"
    return f"{sentence} [{n}]."


def best_sentence(passage: Passage, claim: str) -> tuple[int, int]:
    """The span of the passage sentence that shares most words with a claim."""
    terms = set(content_terms(claim))
    spans = split_spans(passage.text) or [(0, len(passage.text))]
    return max(spans, key=lambda s: len(terms & set(content_terms(passage.text[s[0]:s[1]]))))


class Assistant:
    def __init__(self, store, embedder, chat_model=None, backend_name: str = "extractive",
                 audit: AuditLog | None = None, k: int = DEFAULT_K, user: UserProfile | None = None,
                 answer_params: AnswerParams | None = None):
        # need-to-know: the reader is narrowed to `user` here, once; everything the assistant
        # reads (search, glossary, cross-references) goes through it
        self.store = reader_of(store).visible_to(user)
        self.embedder = embedder
        self.search = HybridSearch(self.store, embedder)
        self.extractive = ExtractiveAnswerer(embedder, params=answer_params)
        self.chat_model = chat_model
        self.backend_name = backend_name if chat_model is not None else "extractive"
        self.audit = audit if audit is not None else AuditLog(store.store_dir / "audit.jsonl")
        self.k = k
        self.user = user  # the profile answered for (None: no limit)

    def for_profile(self, profile: UserProfile | None) -> "Assistant":
        """This assistant answering for `profile`: a shallow copy sharing the model, the
        answerer's cache and the audit log, reading the store as the profile may see it."""
        bound = copy.copy(self)
        bound.user = profile
        bound.store = self.store.visible_to(profile)
        bound.search = HybridSearch(bound.store, self.embedder)
        return bound

    def audit_name(self, user: str | UserProfile | None) -> str | None:
        """The name for the audit line. A profile other than the one the assistant reads for
        is a programming error: scoping happens in for_profile(), not per question."""
        if isinstance(user, UserProfile):
            if user != self.user:
                raise ValueError(f"this assistant reads for {self.user and self.user.name}, not {user.name}: "
                                 "use for_profile()")
            return user.name
        return user or (self.user.name if self.user else None)

    @property
    def mode(self) -> str:
        if self.chat_model is None:
            return "extractive"
        model = getattr(self.chat_model, "model_name", None) or getattr(self.chat_model, "model", None) or self.backend_name
        return f"llm:{model}"

    # --- the flow ---------------------------------------------------------------------
    def prepare(self, question: str, history: list[str] = (), k: int | None = None,
                filters: Filters | None = None) -> tuple[str, list[Passage], dict]:
        question = " ".join((question or "").split())
        if not question:
            raise UserError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}")
        timings: dict = {}
        started = time.perf_counter()
        standalone = rewrite(question, list(history), self.chat_model)
        timings["rewrite"] = (time.perf_counter() - started) * 1000
        passages = self.search.search(standalone, k or self.k, filters, timings)
        return standalone, passages, timings

    def ask(self, question: str, history: list[str] = (), k: int | None = None,
            filters: Filters | None = None, user: str | UserProfile | None = None) -> Answer:
        """`user`: the name for the audit (default: the profile's); what is searched is what
        the assistant's profile may see."""
        user = self.audit_name(user)
        standalone, passages, timings = self.prepare(question, history, k, filters)
        started = time.perf_counter()
        if self.chat_model is None:
            answer = self._extractive(question, standalone, passages)
        else:
            answer = self._from_llm_text(question, standalone, passages,
                                         llm.generate(self.chat_model, standalone, passages))
        timings["answer"] = (time.perf_counter() - started) * 1000
        return self._finish(answer, passages, timings, user)

    def stream(self, question: str, history: list[str] = (), k: int | None = None,
               filters: Filters | None = None, user: str | UserProfile | None = None) -> Iterator[str | Answer]:
        """Text pieces as the model writes them, then the checked Answer. The extractive
        backend yields its whole answer at once."""
        if self.chat_model is None:
            answer = self.ask(question, history, k, filters, user)
            yield answer.answer
            yield answer
            return
        user = self.audit_name(user)
        standalone, passages, timings = self.prepare(question, history, k, filters)
        started = time.perf_counter()
        pieces = []
        if passages:
            for piece in llm.stream(self.chat_model, standalone, passages):
                pieces.append(piece)
                yield piece
        answer = self._from_llm_text(question, standalone, passages, "".join(pieces))
        timings["answer"] = (time.perf_counter() - started) * 1000
        yield self._finish(answer, passages, timings, user)

    # --- answerers ----------------------------------------------------------------------
    def _extractive(self, question: str, standalone: str, passages: list[Passage]) -> Answer:
        expansions = self.search.glossary.expansions(standalone)
        extract = self.extractive.extract(standalone, passages, self.search.glossary, expansions)
        if extract.refused:
            return self._refusal(question, standalone, passages, extract.reason)
        composed = compose(standalone, extract, passages, citation_for, self.store, self.search.glossary)
        return Answer(question=question, answer=composed.text, refused=False, mode="extractive",
                      citations=composed.citations, conflicts=composed.conflicts,
                      standalone_question=standalone if standalone != question else None)

    def _from_llm_text(self, question: str, standalone: str, passages: list[Passage], text: str) -> Answer:
        if not passages or llm.is_refusal(text):
            return self._refusal(question, standalone, passages, "the model found no answer in the passages")
        cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", text)})
        citations = []
        for n in cited:
            if 1 <= n <= len(passages):
                passage = passages[n - 1]
                claim = " ".join(s for s in re.split(r"(?<=[.!?])\s+", text) if f"[{n}]" in s)
                start, end = best_sentence(passage, claim)
                citations.append(citation_for(n, passage, start, end, passage.score))
        return Answer(question=question, answer=text.strip(), refused=False, mode=self.mode, citations=citations,
                      standalone_question=standalone if standalone != question else None)

    def _refusal(self, question: str, standalone: str, passages: list[Passage], reason: str) -> Answer:
        closest = []
        for n, passage in enumerate(passages[:3], start=1):
            start, end = best_sentence(passage, standalone)
            closest.append(citation_for(n, passage, start, end, passage.score))
        text = f"The documents do not answer this question: {reason}."
        if closest:
            text += " The closest passages are " + "; ".join(
                f"{c.title}, page {c.page}" + (f", paragraph {c.section}" if c.section else "") for c in closest) + "."
        return Answer(question=question, answer=text, refused=True, mode=self.mode, closest=closest,
                      standalone_question=standalone if standalone != question else None)

    def _finish(self, answer: Answer, passages: list[Passage], timings: dict, user: str | None) -> Answer:
        if not answer.refused:
            started = time.perf_counter()
            by_chunk = passages_by_chunk(passages)
            # a marker with no citation behind it is kept in the text and flagged by the check
            # a sentence may name the document it cites ("the J5 Memorandum [2]"): its title counts
            texts = {c.n: f"{c.title}. {by_chunk[c.chunk_id].text}" if c.chunk_id in by_chunk else c.quote
                     for c in answer.citations}
            flagged, checks = check_answer(answer.answer, texts, self.embedder, self.search.glossary)
            answer.unsupported = [c.sentence for c in checks if not c.supported]
            if answer.unsupported:
                answer.answer = flagged
            timings["check"] = (time.perf_counter() - started) * 1000
        answer.marking = highest_marking(c.marking for c in answer.citations or answer.closest)
        answer.timings_ms = timings
        self.audit.record(answer, passages, user)
        return answer


def passages_by_chunk(passages: list[Passage]) -> dict[str, Passage]:
    return {p.chunk_id: p for p in passages}


__all__ = ["Assistant", "FLAG"]
