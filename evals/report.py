"""Report files of an evaluation run: summary.json, cases.jsonl, report.md and report.html.

The HTML charts are inline SVG drawn here: Altair can only save HTML without a CDN
(`inline=True`) through vl-convert, which is not installed, and the report must open
offline. The app page draws the same figures with Altair, which Streamlit serves itself."""

from __future__ import annotations

import html
import json
from pathlib import Path

from evals.runner import HEADLINE, LOWER_IS_BETTER, SuiteRun

CHART_METRICS = ("para_hit@5", "doc_hit@5", "page_hit@5", "fact_recall", "context_fact_recall@5", "token_f1",
                 "citation_precision", "citation_recall", "refusal_accuracy", "false_refusal_rate")
WORST = 10


def worst_cases(records: list[dict], n: int = WORST) -> list[dict]:
    """The cases with the most failures, then the lowest fact recall."""
    failing = [r for r in records if r["failures"]]
    return sorted(failing, key=lambda r: (-len(r["failures"]), r["scores"].get("fact_recall") or 0))[:n]


def write_reports(directory: Path, summary: dict, runs: list[SuiteRun], comparison: dict | None = None,
                  gate_failures: list[str] | None = None) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if comparison is not None:
        summary = {**summary, "comparison": comparison}
    if gate_failures is not None:
        summary = {**summary, "gate_failures": gate_failures}
    (directory / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    with (directory / "cases.jsonl").open("w", encoding="utf-8") as out:
        for run in runs:
            for record in run.product + (run.naive or []):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    (directory / "report.md").write_text(markdown(summary, runs), encoding="utf-8")
    (directory / "report.html").write_text(html_report(summary, runs), encoding="utf-8")


def _fmt(entry: dict | None, digits: int = 3) -> str:
    if entry is None:
        return "n/a"
    text = f"{entry['value']:.{digits}f}"
    if entry.get("ci"):
        text += f" [{entry['ci'][0]:.{digits}f}, {entry['ci'][1]:.{digits}f}]"
    return text


def metric_rows(suite: dict) -> list[tuple[str, str, str]]:
    product = suite["product"]["metrics"]
    naive = (suite.get("naive") or {}).get("metrics", {})
    names = [n for n in HEADLINE if n in product or n in naive]
    names += [n for n in sorted(product) if n not in names]
    rows = []
    for name in names:
        digits = 0 if "latency" in name else 3
        rows.append((name, _fmt(product.get(name), digits), _fmt(naive.get(name), digits) if suite.get("naive") else "-"))
    return rows


def markdown(summary: dict, runs: list[SuiteRun]) -> str:
    lines = [f"# Evaluation report ({summary['created']})", "",
             f"Backend: **{summary['backend']}**; retrieval scored on the top {summary['retrieval_k']} passages. "
             "Figures are means over the cases where a metric applies, with bootstrap 95% intervals in brackets. "
             "The naive baseline (LangChain loaders, 1000/200 character chunks, same embedding model, Chroma) "
             "has no answerer: only its retrieval, and whether the facts reach its top 5 passages "
             "(context_fact_recall@5), are scored; its chunks carry no paragraph ids, so paragraph metrics are n/a "
             "for it and the page level compares the two where the gold references give pages. Latency: the "
             "product's is the whole answer (retrieval_latency: its retrieval alone); the baseline's is its "
             "similarity search.", ""]
    if summary.get("gate_failures"):
        lines += ["## Failed gates", ""] + [f"- {f}" for f in summary["gate_failures"]] + [""]
    elif summary.get("gate_failures") is not None:
        lines += ["All gates passed.", ""]
    by_name = {r.name: r for r in runs}
    for name, suite in summary["suites"].items():
        lines += [f"## Suite `{name}` ({suite['cases']} cases, corpus: {suite['corpus']})", "",
                  "| metric | product | naive baseline |", "|---|---|---|"]
        lines += [f"| {n} | {p} | {b} |" for n, p, b in metric_rows(suite)]
        lines += ["", "### By tag (product)", ""]
        tags = suite["product"]["by_tag"]
        cols = [c for c in ("para_hit@5", "fact_recall", "citation_precision", "refusal_accuracy",
                            "false_refusal_rate") if any(c in row for row in tags.values())]
        lines += ["| tag | cases | " + " | ".join(cols) + " |", "|---|---|" + "---|" * len(cols)]
        for tag, row in tags.items():
            lines.append(f"| {tag} | {row['cases']} | " + " | ".join(
                f"{row[c]:.3f}" if c in row else "-" for c in cols) + " |")
        comparison = (summary.get("comparison") or {}).get(name)
        if comparison:
            lines += ["", "### Against the previous run", "", "| metric | previous | current | change | |",
                      "|---|---|---|---|---|"]
            for metric, row in comparison.items():
                mark = "**REGRESSION**" if row["regression"] else ("slower" if row.get("slower") else "")
                lines.append(f"| {metric} | {row['previous']:.3f} | {row['current']:.3f} | {row['change']:+.3f} | {mark} |")
        run = by_name.get(name)
        if run:
            lines += ["", "### Worst cases (product)", ""]
            for r in worst_cases(run.product):
                lines.append(f"- **{r['id']}** ({', '.join(r['tags'])}): {r['question']}")
                lines += [f"  - {f}" for f in r["failures"]]
        lines.append("")
    return "\n".join(lines)


# --- HTML with inline SVG charts -------------------------------------------------------------
def svg_bars(title: str, groups: list[tuple[str, dict[str, float | None]]], series: list[str],
             maximum: float | None = None, unit: str = "") -> str:
    """A horizontal grouped bar chart: one group per label, one bar per series."""
    colors = ["#4c78a8", "#f58518", "#54a24b", "#b279a2"]
    bar, gap, left, width = 14, 10, 190, 360
    values = [v for _, row in groups for v in row.values() if v is not None]
    top = maximum or (max(values) if values else 1) or 1
    height = len(groups) * (bar * len(series) + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" role="img">',
             f'<text x="0" y="14" font-weight="bold">{html.escape(title)}</text>']
    for i, name in enumerate(series):
        parts.append(f'<rect x="{left + 120 * i}" y="22" width="10" height="10" fill="{colors[i % 4]}"/>'
                     f'<text x="{left + 14 + 120 * i}" y="31" font-size="11">{html.escape(name)}</text>')
    y = 40
    for label, row in groups:
        parts.append(f'<text x="{left - 6}" y="{y + bar * len(series) / 2 + 4}" font-size="11" '
                     f'text-anchor="end">{html.escape(label)}</text>')
        for i, name in enumerate(series):
            value = row.get(name)
            if value is not None:
                w = max(1, width * value / top)
                parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{colors[i % 4]}">'
                             f'<title>{html.escape(label)} {html.escape(name)}: {value:.3f}{unit}</title></rect>'
                             f'<text x="{left + w + 4:.1f}" y="{y + bar - 4}" font-size="10">{value:.2f}{unit}</text>')
            y += bar
        y += gap
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[list[str]], header: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(summary: dict, runs: list[SuiteRun]) -> str:
    by_name = {r.name: r for r in runs}
    body = [f"<h1>Evaluation report</h1><p>{html.escape(summary['created'])}: backend "
            f"<b>{html.escape(summary['backend'])}</b>. Means over the cases where a metric applies, bootstrap 95% "
            "intervals in brackets. The naive baseline has no answerer: only its retrieval and whether the facts "
            "reach its top 5 passages are scored; paragraph metrics are n/a for its unnumbered chunks.</p>"]
    if summary.get("gate_failures"):
        body.append("<h2>Failed gates</h2><ul>" + "".join(f"<li class=bad>{html.escape(f)}</li>"
                                                       for f in summary["gate_failures"]) + "</ul>")
    for name, suite in summary["suites"].items():
        body.append(f"<h2>Suite {html.escape(name)}</h2><p>{suite['cases']} cases; corpus: "
                    f"{html.escape(suite['corpus'])}</p>")
        body.append(_table([[html.escape(n), p, b] for n, p, b in metric_rows(suite)],
                           ["metric", "product", "naive baseline"]))
        product, naive = suite["product"]["metrics"], (suite.get("naive") or {}).get("metrics", {})
        series = ["product"] + (["naive"] if suite.get("naive") else [])
        groups = [(n, {"product": (product.get(n) or {}).get("value"), "naive": (naive.get(n) or {}).get("value")})
                  for n in CHART_METRICS if n in product or n in naive]
        body.append(svg_bars("Product vs naive baseline", groups, series, maximum=1.0))
        tags = suite["product"]["by_tag"]
        tag_series = ["para_hit@5", "fact_recall", "refusal_accuracy"]
        body.append(svg_bars("Product by tag", [(f"{t} ({row['cases']})", {s: row.get(s) for s in tag_series})
                                                for t, row in tags.items()], tag_series, maximum=1.0))
        lat_series = {"retrieval p50": "retrieval_latency_p50_ms", "retrieval p95": "retrieval_latency_p95_ms",
                      "answer p50": "latency_p50_ms", "answer p95": "latency_p95_ms"}
        lat = [(system, {label: (s.get("metrics", {}).get(key) or {}).get("value") for label, key in lat_series.items()})
               for system, s in (("product", suite["product"]), ("naive", suite.get("naive") or {})) if s]
        body.append(svg_bars("Latency per question (ms); the baseline's 'answer' is its retrieval", lat,
                             list(lat_series), unit=" ms"))
        comparison = (summary.get("comparison") or {}).get(name)
        if comparison:
            body.append("<h3>Against the previous run</h3>" + _table(
                [[html.escape(k), f"{r['previous']:.3f}", f"{r['current']:.3f}", f"{r['change']:+.3f}",
                  "<b class=bad>REGRESSION</b>" if r["regression"] else ("slower" if r.get("slower") else "")]
                 for k, r in comparison.items()],
                ["metric", "previous", "current", "change", ""]))
        run = by_name.get(name)
        if run:
            body.append("<h3>Worst cases (product)</h3>" + _table(
                [[html.escape(r["id"]), html.escape(r["question"]), html.escape(r["answer"][:400]),
                  "<br>".join(html.escape(f) for f in r["failures"])] for r in worst_cases(run.product)],
                ["case", "question", "answer", "what went wrong"]))
    style = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}"
             ".bad{color:#b00}svg{display:block;margin:1em 0}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>")


__all__ = ["write_reports", "worst_cases", "markdown", "html_report", "LOWER_IS_BETTER"]
