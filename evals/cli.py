"""`planassist eval`: run gold suites, write reports, compare with a previous run, gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evals.runner import ROOT

DEFAULT_SUITE = ROOT / "evals" / "suites" / "corpus.jsonl"


@click.command("eval")
@click.argument("suites", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--backend", type=click.Choice(["extractive", "openai", "ollama"]), default=None,
              help="Answering backend (default extractive, or PLANASSIST_BACKEND).")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write summary.json, cases.jsonl, report.md and report.html here.")
@click.option("--baseline", "baseline", type=click.Path(exists=True, path_type=Path),
              help="A previous summary.json (or its report folder): show changes, mark regressions.")
@click.option("--fail-under", "fail_under", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC is below VALUE (repeatable; METRIC<=VALUE for an upper bound, "
                   "SUITE:METRIC=VALUE for one suite).")
@click.option("--fail-over", "fail_over", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC is above VALUE (e.g. false_refusal_rate=0.10).")
@click.option("--release-gates", is_flag=True, help="Also apply the release gates CI uses.")
@click.option("--no-naive", is_flag=True, help="Skip the naive LangChain baseline.")
@click.option("--from-store", is_flag=True,
              help="Answer from the configured store (planassist --store DIR) even for suites that declare a corpus.")
@click.option("--tag", "tags", multiple=True, help="Only cases with one of these tags.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N cases of each suite.")
@click.pass_obj
def eval_command(obj, suites, backend, report_dir, baseline, fail_under, fail_over, release_gates, no_naive,
                 from_store, tags, limit):
    """Score the assistant on gold suites (JSONL; default evals/suites/corpus.jsonl) against the
    naive LangChain baseline. A suite with a <name>.corpus file beside it runs over a scratch
    store of that folder (cached by content); otherwise over the configured store."""
    from evals.gates import RELEASE_GATES, check_gates, compare, load_previous, parse_gate
    from evals.report import write_reports
    from evals.runner import evaluate

    gates = [parse_gate(g, ">=") for g in fail_under] + [parse_gate(g, "<=") for g in fail_over]
    if release_gates:
        gates += [parse_gate(g) for g in RELEASE_GATES]
    previous = load_previous(baseline) if baseline else None
    backend = backend or obj.settings.backend
    bar = _Progress()
    summary, runs = evaluate(list(suites) or [DEFAULT_SUITE], obj.settings, obj.embedder, backend=backend,
                             naive=not no_naive, from_store=from_store, progress=bar.update,
                             tags=tuple(tags), limit=limit)
    bar.close()
    comparison = None
    if previous:
        comparison = compare(summary, {r.name: r.product for r in runs}, *previous)
    failures = check_gates(summary, gates) if gates else None
    if report_dir:
        write_reports(report_dir, summary, runs, comparison, failures)
    click.echo(_text_summary(summary, comparison))
    if report_dir:
        click.echo(f"reports written to {report_dir}")
    if failures:
        for line in failures:
            click.echo(f"gate failed: {line}", err=True)
        sys.exit(1)


class _Progress:
    def __init__(self):
        self.bar = None
        self.enabled = sys.stderr.isatty()

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if self.bar is None or self.bar.total != total:
            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=total, unit="case", file=sys.stderr, leave=False)
        self.bar.set_postfix_str(label[:40])
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _text_summary(summary: dict, comparison: dict | None) -> str:
    from evals.report import metric_rows
    from evals.runner import HELD_OUT_METRICS

    lines = []
    for name, suite in summary["suites"].items():
        lines.append(f"suite {name}: {suite['cases']} cases over {suite['corpus']} (backend {summary['backend']})")
        lines += [f"  not ingested: {line}" for line in suite.get("left_out") or []]
        lines.append(f"  {'metric':<24} {'product':<26} naive baseline")
        for metric, product, naive in metric_rows(suite):
            mark = ""
            row = ((comparison or {}).get(name) or {}).get(metric)
            if row:
                mark = f"  {row['change']:+.3f} vs previous" + ("  REGRESSION" if row["regression"] else "") + (
                    "  slower" if row.get("slower") else "")
            lines.append(f"  {metric:<24} {product:<26} {naive}{mark}")
        if suite.get("held_out"):
            lines.append("  held out (parameters fitted without this suite):  "
                         + "  ".join(f"{k} {suite['held_out']['metrics'][k]['value']:.3f}"
                                     f" (fitted {suite['product']['metrics'][k]['value']:.3f})"
                                     for k in HELD_OUT_METRICS if k in suite["held_out"]["metrics"]))
    return "\n".join(lines)
