"""Gates and the comparison with a previous run, on hand-made summaries."""

import json

import pytest

from evals.gates import Gate, check_gates, compare, load_previous, parse_gate
from ingest.errors import UserError


def summary(**metrics):
    return {"suites": {"s": {"product": {"metrics": {k: {"value": v, "ci": [v - 0.05, v + 0.05]}
                                                     for k, v in metrics.items()}}}}}


def test_gate_syntax():
    assert parse_gate("fact_recall=0.8") == Gate("fact_recall", ">=", 0.8)
    assert parse_gate("false_refusal_rate=0.1", default_op="<=") == Gate("false_refusal_rate", "<=", 0.1)
    assert parse_gate("samm:para_hit@5>=0.9") == Gate("para_hit@5", ">=", 0.9, "samm")
    with pytest.raises(UserError, match="gate 'recall > 1'"):
        parse_gate("recall > 1")


def test_failed_gates_are_named():
    s = summary(fact_recall=0.7, false_refusal_rate=0.2)
    gates = [parse_gate("fact_recall>=0.8"), parse_gate("false_refusal_rate<=0.1"), parse_gate("token_f1>=0.1"),
             parse_gate("other:fact_recall>=0.1")]
    assert check_gates(s, gates) == ["s: fact_recall = 0.700, gate >= 0.8", "s: false_refusal_rate = 0.200, gate <= 0.1",
                                     "s: token_f1 was not measured (gate token_f1>=0.1)",
                                     "other:fact_recall>=0.1: no suite 'other' in this run"]
    assert check_gates(s, [parse_gate("fact_recall>=0.7"), parse_gate("false_refusal_rate<=0.2")]) == []


def test_comparison_without_cases_uses_the_previous_interval():
    previous = summary(fact_recall=0.80, false_refusal_rate=0.05, latency_p50_ms=100)
    rows = compare(summary(fact_recall=0.70, false_refusal_rate=0.08, latency_p50_ms=200), {}, previous, {})["s"]
    assert rows["fact_recall"]["regression"] and rows["fact_recall"]["change"] == pytest.approx(-0.1)
    assert not rows["false_refusal_rate"]["regression"]  # 0.08 is inside [0.00, 0.10]
    assert rows["latency_p50_ms"]["slower"] and not rows["latency_p50_ms"]["regression"]


def test_comparison_with_cases_is_paired(tmp_path):
    now = [{"id": str(i), "scores": {"fact_recall": 0.0 if i < 6 else 1.0}} for i in range(10)]
    before = [{"system": "product", "suite": "s", "id": str(i), "scores": {"fact_recall": 1.0}} for i in range(10)]
    (tmp_path / "summary.json").write_text(json.dumps(summary(fact_recall=1.0)))
    (tmp_path / "cases.jsonl").write_text("\n".join(json.dumps(r) for r in before))
    previous, cases = load_previous(tmp_path)
    row = compare(summary(fact_recall=0.4), {"s": now}, previous, cases)["s"]["fact_recall"]
    assert row["test"] == "paired bootstrap" and row["regression"] and row["ci"][1] < 0
    same = compare(summary(fact_recall=1.0), {"s": [{"id": r["id"], "scores": r["scores"]} for r in before]},
                   previous, cases)["s"]["fact_recall"]
    assert not same["regression"]


def test_a_bad_baseline_file_is_named(tmp_path):
    (tmp_path / "x.json").write_text("[1, 2]")
    with pytest.raises(UserError, match="x.json: not a summary.json"):
        load_previous(tmp_path / "x.json")
