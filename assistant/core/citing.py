"""Citations of passages, shared by every answerer and the refusal: a Citation for a span of
a passage, the [n] marker put at the end of a sentence, and the passage sentence that a claim
rests on."""

from __future__ import annotations

from assistant.core.answers import Citation
from assistant.core.passages import Passage
from assistant.core.terms import content_terms
from ingest.sentences import split_spans


def citation_for(n: int, passage: Passage, start: int, end: int, score: float) -> Citation:
    return Citation(n=n, doc_id=passage.doc_id, source=passage.source, title=passage.title,
                    page=passage.page_at(start), section=passage.section, marking=passage.marking,
                    chunk_id=passage.chunk_id, quote=passage.text[start:end].strip(), score=round(float(score), 3),
                    doc_type=passage.metadata.get("doc_type", ""), ocr=bool(passage.metadata.get("ocr", False)))


def best_sentence(passage: Passage, claim: str) -> tuple[int, int]:
    """The span of the passage sentence that shares most words with a claim."""
    terms = set(content_terms(claim))
    spans = split_spans(passage.text) or [(0, len(passage.text))]
    return max(spans, key=lambda s: len(terms & set(content_terms(passage.text[s[0]:s[1]]))))
