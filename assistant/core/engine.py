"""The question-answering flow shared by the CLI, the app, drafting and the evaluation:
follow-up rewriting (by the answerer) -> hybrid retrieval -> the answerer -> the post-answer
checks (assistant/core/checks.py) -> marking -> audit. The store, the embedding model and the
answerer are built once (assistant/services.py) and handed in."""

from __future__ import annotations

import copy
import time
from typing import Iterator

from assistant.access.audit import AuditLog
from assistant.access.profiles import UserProfile
from assistant.core.answerers import Answerer, Asked, ExtractiveBackend
from assistant.core.answers import Answer
from assistant.core.checks import CheckContext, run_checks
from assistant.core.claims import FLAG
from assistant.core.passages import Filters
from assistant.core.retrieval import HybridSearch
from ingest.errors import UserError
from ingest.metadata import highest_marking
from ingest.reader import reader_of

MAX_QUESTION_CHARS = 2000
DEFAULT_K = 12


class Assistant:
    def __init__(self, store, embedder, answerer: Answerer | None = None, audit: AuditLog | None = None,
                 k: int = DEFAULT_K, user: UserProfile | None = None):
        """`answerer`: the backend that answers (assistant/services.py chooses it from the
        settings); the built-in extractive one when none is given."""
        # need-to-know: the reader is narrowed to `user` here, once; everything the assistant
        # reads (search, glossary, cross-references) goes through it
        self.store = reader_of(store).visible_to(user)
        self.embedder = embedder
        self.search = HybridSearch(self.store, embedder)
        self.answerer: Answerer = answerer or ExtractiveBackend(embedder)
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

    def with_answerer(self, answerer: Answerer) -> "Assistant":
        """This assistant answering with another backend: a shallow copy sharing the store,
        the search and the audit log (the app picks the backend per session)."""
        chosen = copy.copy(self)
        chosen.answerer = answerer
        return chosen

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
        return self.answerer.mode

    # --- the flow ---------------------------------------------------------------------
    def prepare(self, question: str, history: list[str] = (), k: int | None = None,
                filters: Filters | None = None) -> tuple[Asked, dict]:
        question = " ".join((question or "").split())
        if not question:
            raise UserError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}")
        timings: dict = {}
        started = time.perf_counter()
        standalone = self.answerer.rewrite(question, list(history))
        timings["rewrite"] = (time.perf_counter() - started) * 1000
        passages = self.search.search(standalone, k or self.k, filters, timings)
        return Asked(question, standalone, passages, self.search.glossary, self.store), timings

    def ask(self, question: str, history: list[str] = (), k: int | None = None,
            filters: Filters | None = None, user: str | UserProfile | None = None) -> Answer:
        """`user`: the name for the audit (default: the profile's); what is searched is what
        the assistant's profile may see."""
        user = self.audit_name(user)
        asked, timings = self.prepare(question, history, k, filters)
        started = time.perf_counter()
        answer = self.answerer.answer(asked)
        timings["answer"] = (time.perf_counter() - started) * 1000
        return self._finish(answer, asked, timings, user)

    def stream(self, question: str, history: list[str] = (), k: int | None = None,
               filters: Filters | None = None, user: str | UserProfile | None = None) -> Iterator[str | Answer]:
        """Text pieces as the answerer writes them (a model piece by piece, the extractive
        answerer all at once), then the checked Answer."""
        user = self.audit_name(user)
        asked, timings = self.prepare(question, history, k, filters)
        started = time.perf_counter()
        answer = None
        for item in self.answerer.stream(asked):
            if isinstance(item, Answer):
                answer = item
            else:
                yield item
        timings["answer"] = (time.perf_counter() - started) * 1000
        yield self._finish(answer, asked, timings, user)

    def _finish(self, answer: Answer, asked: Asked, timings: dict, user: str | None) -> Answer:
        """The checks every answer gets, whichever answerer wrote it (assistant/core/checks.py),
        then its marking and the audit line."""
        context = CheckContext(asked.passages, self.embedder, asked.glossary, asked.reader, self.answerer.composes)
        run_checks(answer, context, timings)
        answer.marking = highest_marking(c.marking for c in answer.citations or answer.closest)
        answer.timings_ms = timings
        self.audit.record(answer, asked.passages, user)
        return answer


__all__ = ["Assistant", "FLAG"]
