"""Scoring one case's retrieved passages and summarising records, without a model."""

import pytest

from evals.runner import retrieval_scores, summarize
from evals.suite import Case


def case(**kw):
    base = dict(id="c", question="q", answerable=True, reference="r", reference_facts=("$7 million",),
                reference_sources=({"source": "a.pdf", "section": "2.a", "page": 3},), tags=("numbers",))
    return Case(**{**base, **kw})


def passage(source, section, page, text=""):
    return {"source": source, "section": section, "page_start": page, "page_end": page, "text": text}


def test_levels_are_scored_from_the_same_ranking():
    retrieved = [passage("b.pdf", "1", 1), passage("a.pdf", "2.b", 3), passage("a.pdf", "2.a.(1)", 3, "FMF is $7 million.")]
    scores = retrieval_scores(case(), retrieved)
    assert scores["doc_hit@1"] == 0 and scores["doc_mrr@10"] == 0.5
    assert scores["page_mrr@10"] == 0.5  # 2.b is on the gold page
    assert scores["para_hit@1"] == 0 and scores["para_mrr@10"] == pytest.approx(1 / 3)
    assert scores["context_fact_recall@5"] == 1.0


def test_levels_that_cannot_be_judged_are_none():
    naive = [dict(passage("a.pdf", None, 3), section=None)]
    scores = retrieval_scores(case(), naive)
    assert scores["para_hit@5"] is None and scores["page_hit@5"] == 1.0
    no_page = case(reference_sources=({"source": "a.pdf", "section": "2.a"},))
    assert retrieval_scores(no_page, [passage("a.pdf", "2.a", 1)])["page_hit@5"] is None


def test_summary_means_only_where_a_metric_applies():
    records = [{"tags": ["numbers"], "latency_ms": 100.0, "retrieval_ms": 10.0,
                "scores": {"fact_recall": 1.0, "false_refusal_rate": 0.0}},
               {"tags": ["numbers", "lookup"], "latency_ms": 300.0, "retrieval_ms": 30.0,
                "scores": {"fact_recall": 0.5, "false_refusal_rate": 1.0}},
               {"tags": ["unanswerable"], "latency_ms": 200.0, "retrieval_ms": 20.0,
                "scores": {"refusal_accuracy": 1.0}}]
    summary = summarize(records, resamples=50)
    assert summary["metrics"]["fact_recall"]["value"] == 0.75 and summary["metrics"]["fact_recall"]["n"] == 2
    assert summary["metrics"]["refusal_accuracy"] == {"value": 1.0, "n": 1, "ci": [1.0, 1.0]}
    assert summary["metrics"]["latency_p50_ms"]["value"] == 200.0
    assert summary["metrics"]["retrieval_latency_p95_ms"]["value"] == pytest.approx(29.0)
    assert summary["by_tag"]["numbers"] == {"cases": 2, "fact_recall": 0.75, "false_refusal_rate": 0.5}
    assert summary["by_tag"]["unanswerable"] == {"cases": 1, "refusal_accuracy": 1.0}
