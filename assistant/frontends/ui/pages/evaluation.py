"""Evaluation: run gold suites against the product and the naive baseline, see the summary,
charts and per-case results, compare with a saved run. The work is done by evals/."""

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from assistant.config import Settings
from assistant.frontends.ui.curation import may_curate
from assistant.frontends.ui.login import current_profile
from assistant.frontends.ui.resources import get_embedder, session_store
from evals.gates import RELEASE_GATES, check_gates, compare, load_previous, parse_gate
from evals.report import CHART_METRICS, metric_rows, worst_cases
from evals.runner import ROOT, evaluate, failure_kind
from ingest.errors import UserError

SUITES = ROOT / "evals" / "suites"

st.title("Evaluation")
st.caption("Scores the assistant on gold question sets, without a model judge, beside the naive "
           "LangChain setup (1000/200 character chunks, same embedding model, Chroma top 5).")

bundled = sorted(p.name for p in SUITES.glob("*.jsonl"))
with st.form("run"):
    chosen = st.multiselect("Suites", bundled, default=[n for n in bundled if n == "corpus.jsonl"])
    curator = may_curate(current_profile())  # other suites read files on the server: curators only
    other = st.text_input("Other suite files (paths, comma-separated)") if curator else ""
    left, right = st.columns(2)
    backend = left.selectbox("Backend", ["extractive", "openai", "ollama"])
    limit = right.number_input("Cases per suite (0: all)", min_value=0, value=0, step=10)
    naive = left.checkbox("Include the naive baseline", value=True)
    from_store = right.checkbox("Answer from the document store instead of each suite's own corpus",
                                help="Only the documents your access allows.")
    saved = st.text_input("Compare with a saved run (a report folder or its summary.json)")
    submitted = st.form_submit_button("Run evaluation", type="primary")

if submitted:
    paths = [SUITES / n for n in chosen] + [Path(p.strip()) for p in other.split(",") if p.strip()]
    if not paths:
        st.warning("Choose at least one suite.")
    else:
        bar = st.progress(0.0, text="Starting…")

        def progress(label: str, done: int, total: int) -> None:
            bar.progress(min(1.0, done / total) if total else 0.0, text=label)

        try:
            previous = load_previous(Path(saved.strip())) if saved.strip() else None
            summary, runs = evaluate(paths, Settings.from_env(), get_embedder(), backend=backend, naive=naive,
                                     from_store=from_store, progress=progress, limit=limit or None,
                                     configured_store=session_store())  # a suite over the store: this user's documents only
        except (UserError, FileNotFoundError) as exc:
            bar.empty()
            st.error(str(exc))
        else:
            bar.progress(1.0, text="Done")
            records = {r.name: {"product": r.product, "naive": r.naive} for r in runs}
            comparison = compare(summary, {r.name: r.product for r in runs}, *previous) if previous else None
            st.session_state["evaluation"] = {"summary": summary, "records": records, "comparison": comparison}

result = st.session_state.get("evaluation")
if not result:
    st.info("Choose suites and run an evaluation.")
    st.stop()

summary, records, comparison = result["summary"], result["records"], result["comparison"]
failed = check_gates(summary, [parse_gate(g) for g in RELEASE_GATES])
st.subheader("Release gates")
if failed:
    st.error("Below the release gates:\n\n" + "\n".join(f"- {f}" for f in failed))
else:
    st.success("All release gates pass: " + ", ".join(RELEASE_GATES))

for name, suite in summary["suites"].items():
    st.header(f"Suite {name}")
    st.caption(f"{suite['cases']} cases over {suite['corpus']}; backend {summary['backend']}. "
               "Means with bootstrap 95% intervals. The baseline has no answerer: only its retrieval and "
               "whether the facts reach its top 5 passages are scored.")
    table = pd.DataFrame(metric_rows(suite), columns=["metric", "product", "naive baseline"])
    rows = (comparison or {}).get(name)
    if rows:
        table["change vs saved"] = [f"{rows[m]['change']:+.3f}" if m in rows else "" for m in table["metric"]]
        table["regression"] = ["yes" if rows.get(m, {}).get("regression") else
                               "slower" if rows.get(m, {}).get("slower") else "" for m in table["metric"]]
    st.dataframe(table, hide_index=True, width="stretch")

    product = suite["product"]["metrics"]
    naive_metrics = (suite.get("naive") or {}).get("metrics", {})
    bars = pd.DataFrame([{"metric": m, "system": system, "value": values[m]["value"]}
                         for m in CHART_METRICS for system, values in (("product", product), ("naive", naive_metrics))
                         if m in values])
    tags = pd.DataFrame([{"tag": tag, "metric": m, "value": row[m]} for tag, row in suite["product"]["by_tag"].items()
                         for m in ("para_hit@5", "fact_recall", "refusal_accuracy") if m in row])
    latency = pd.DataFrame([{"system": system, "measure": measure, "latency (ms)": r[field]}
                            for system in ("product", "naive") for r in (records[name][system] or [])
                            for measure, field in (("answer", "latency_ms"), ("retrieval", "retrieval_ms"))
                            if system == "product" or measure == "retrieval"])
    one, two = st.columns(2)
    one.altair_chart(alt.Chart(bars, title="Product vs baseline").mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1])), y=alt.Y("metric:N", sort=list(CHART_METRICS)),
        yOffset="system:N", color="system:N", tooltip=["metric", "system", alt.Tooltip("value:Q", format=".3f")]))
    two.altair_chart(alt.Chart(tags, title="Product by tag").mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1])), y="tag:N", yOffset="metric:N", color="metric:N",
        tooltip=["tag", "metric", alt.Tooltip("value:Q", format=".3f")]))
    st.altair_chart(alt.Chart(latency, title="Latency per question (the baseline only retrieves)").mark_boxplot()
                    .encode(x=alt.X("latency (ms):Q", scale=alt.Scale(type="symlog")), y="measure:N",
                            yOffset="system:N", color="system:N"))

    st.subheader("Cases")
    cases = pd.DataFrame([{"id": r["id"], "tags": ", ".join(r["tags"]), "question": r["question"],
                           "answer": r["answer"], "refused": r["refused"],
                           "fact recall": r["scores"].get("fact_recall"),
                           "paragraph in top 5": r["scores"].get("para_hit@5"),
                           "citation precision": r["scores"].get("citation_precision"),
                           "what went wrong": "; ".join(r["failures"]),
                           "_tags": r["tags"], "_kinds": {failure_kind(f) for f in r["failures"]}}
                          for r in records[name]["product"]])
    f1, f2 = st.columns(2)
    tag_filter = f1.multiselect("Tags", sorted({t for ts in cases["_tags"] for t in ts}), key=f"tags-{name}")
    kind_filter = f2.multiselect("What went wrong", sorted({k for ks in cases["_kinds"] for k in ks}),
                                 key=f"kinds-{name}")
    shown = cases
    if tag_filter:
        shown = shown[shown["_tags"].map(lambda ts: bool(set(ts) & set(tag_filter)))]
    if kind_filter:
        shown = shown[shown["_kinds"].map(lambda ks: bool(ks & set(kind_filter)))]
    st.dataframe(shown.drop(columns=["_tags", "_kinds"]), hide_index=True, width="stretch")
    st.caption(f"{len(shown)} of {len(cases)} cases. Worst: " +
               ", ".join(r["id"] for r in worst_cases(records[name]["product"], 5)))
