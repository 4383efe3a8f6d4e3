"""Evaluation metrics: pure functions of an answer and its gold case, no model judge."""

from __future__ import annotations


def section_matches(expected: str, got: str) -> bool:
    """A cited paragraph matches the gold one when it is that paragraph or one of its
    subparagraphs (gold 5.a, cited 5.a.(2))."""
    if not expected:
        return True
    return got == expected or got.startswith(expected + ".") or got.startswith(expected + "(")


def source_matches(reference: dict, source: str, section: str, page: int | None = None) -> bool:
    if reference.get("source") != source:
        return False
    if reference.get("section"):
        return section_matches(reference["section"], section)
    if reference.get("page") is not None:
        return page == reference["page"]
    return True


def paragraph_cited(references, citations) -> bool:
    """Whether any citation holds any gold paragraph."""
    return any(source_matches(r, c["source"], c["section"], c.get("page")) for r in references for c in citations)


def _normal(text: str) -> str:
    return " ".join(text.lower().replace(",", "").replace("\u2013", "-").split())


def fact_recall(facts, answer_text: str) -> float:
    if not facts:
        return 1.0
    text = _normal(answer_text)
    return sum(1 for f in facts if _normal(f) in text) / len(facts)
