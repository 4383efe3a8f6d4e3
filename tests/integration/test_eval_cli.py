"""`planassist eval` end to end on a three-case suite over a one-file corpus: the reports,
a failed gate, and a regression against a previous run."""

import json

import pytest

from helpers import PLAN_TEXT, planassist, write

CASES = [
    {"id": "boats", "question": "How many patrol boats does Testland operate on the Blue Strait?", "answerable": True,
     "reference": "Testland operates four patrol boats on the Blue Strait.", "reference_facts": ["four patrol boats"],
     "reference_sources": [{"source": "plan.txt", "section": "1.a"}], "tags": ["lookup"]},
    {"id": "fmf", "question": "How much FMF does the Office of Defense Cooperation Testland have in FY2026?",
     "answerable": True, "reference": "ODC Testland has $7 million of FMF in FY2026.", "reference_facts": ["$7 million"],
     "reference_sources": [{"source": "plan.txt", "section": "2.a"}], "tags": ["numbers", "acronyms"]},
    {"id": "tanks", "question": "How many main battle tanks does the Testland army field?", "answerable": False,
     "tags": ["unanswerable"]},
]


def small_suite(tmp_path):
    write(tmp_path / "docs" / "plan.txt", PLAN_TEXT)
    suite = write(tmp_path / "small.jsonl", "\n".join(json.dumps(c) for c in CASES) + "\n")
    write(tmp_path / "small.corpus", str(tmp_path / "docs") + "\n")
    return suite


@pytest.mark.slow
def test_eval_writes_reports_gates_and_marks_regressions(tmp_path):
    suite = small_suite(tmp_path)
    first = tmp_path / "first"
    result = planassist("eval", str(suite), "--report", str(first), "--fail-under", "fact_recall=0.5",
                        "--fail-over", "false_refusal_rate=0.5", "--fail-under", "token_f1>=1.01")
    assert result.returncode == 1, result.stderr
    assert "gate failed: small: token_f1 = " in result.stderr and "gate >= 1.01" in result.stderr
    assert "fact_recall" not in result.stderr  # that gate passed
    summary = json.loads((first / "summary.json").read_text())
    suite_summary = summary["suites"]["small"]
    assert suite_summary["cases"] == 3 and suite_summary["corpus"] == str((tmp_path / "docs").resolve())
    product = suite_summary["product"]["metrics"]
    assert product["doc_hit@5"]["value"] == 1.0 and product["para_hit@5"]["value"] == 1.0
    assert product["fact_recall"]["value"] == 1.0 and len(product["fact_recall"]["ci"]) == 2
    assert product["refusal_accuracy"]["n"] == 1 and product["false_refusal_rate"]["n"] == 2
    naive = suite_summary["naive"]["metrics"]
    assert naive["doc_hit@5"]["value"] == 1.0 and "para_hit@5" not in naive  # no paragraph ids: n/a
    records = [json.loads(line) for line in (first / "cases.jsonl").read_text().splitlines()]
    assert sorted((r["system"], r["id"]) for r in records) == sorted(
        (s, c["id"]) for s in ("product", "naive") for c in CASES)
    boats = next(r for r in records if r["system"] == "product" and r["id"] == "boats")
    assert "four patrol boats" in boats["answer"] and boats["citations"][0]["section"].startswith("1.a")
    assert boats["scores"]["citation_precision"] == 1.0
    assert "## Failed gates" in (first / "report.md").read_text()
    page = (first / "report.html").read_text()
    assert page.count("<svg") == 3 and "<script" not in page and "src=" not in page  # inline charts, nothing fetched

    # the previous run was better on token F1 in every case: a regression beyond noise
    for record in records:
        if record["system"] == "product" and "token_f1" in record["scores"]:
            record["scores"]["token_f1"] = 1.0
    (first / "cases.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    second = tmp_path / "second"
    result = planassist("eval", str(suite), "--report", str(second), "--baseline", str(first / "summary.json"),
                        "--no-naive")
    assert result.returncode == 0, result.stderr
    assert "REGRESSION" in next(line for line in result.stdout.splitlines() if line.strip().startswith("token_f1"))
    assert "REGRESSION" not in next(line for line in result.stdout.splitlines() if line.strip().startswith("para_hit@5"))
    comparison = json.loads((second / "summary.json").read_text())["comparison"]["small"]
    assert comparison["token_f1"]["regression"] and comparison["token_f1"]["test"] == "paired bootstrap"
    assert "naive" not in json.loads((second / "summary.json").read_text())["suites"]["small"]


def test_eval_refuses_a_bad_suite_with_its_line(tmp_path):
    bad = write(tmp_path / "bad.jsonl", '{"id": "x", "question": "q", "answerable": true}\n')
    result = planassist("eval", str(bad))
    assert result.returncode == 1
    assert "bad.jsonl line 1: an answerable case needs reference_facts" in result.stderr
