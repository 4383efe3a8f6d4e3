"""Running gold suites: the product (retrieval through Assistant.prepare at k=10, answers
through Assistant.ask) and the naive LangChain baseline on the same cases, one record per
case and system, then a summary with bootstrap intervals.

A suite that declares its corpus (evals/suites/<name>.corpus) is run over a scratch store
holding exactly that folder, or the subset its `include:` globs name; files that fail to
ingest are left out and listed. Scratch stores are cached under <cache>/eval-stores, keyed by
the corpus files' bytes, the ingestion code and the embedding model, so a rerun with nothing
changed skips ingestion, and any change to the documents or to chunking rebuilds them."""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from evals import metrics as m
from evals.suite import Case
from ingest.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
RETRIEVAL_K = 10
LEVELS = ("document", "paragraph", "page")
PREFIX = {"document": "doc", "paragraph": "para", "page": "page"}

# The metrics the summary leads with (bootstrap intervals), in report order.
HEADLINE = ("para_hit@5", "doc_hit@5", "page_hit@5", "para_mrr@10", "para_ndcg@10", "fact_recall",
            "context_fact_recall@5", "token_f1", "paragraph_cited", "citation_precision", "citation_recall",
            "refusal_accuracy", "false_refusal_rate", "answer_precision", "fact_first", "list_completeness", "conflicts_flagged",
            "junk_share")
LOWER_IS_BETTER = {"false_refusal_rate", "junk_share", "answer_chars_p50", "answer_chars_p95", "latency_p50_ms",
                   "latency_p95_ms", "retrieval_latency_p50_ms",
                   "retrieval_latency_p95_ms"}

Progress = Callable[[str, int, int], None]


# --- scratch stores --------------------------------------------------------------------------
def _digest(files: list[Path], base: Path, extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for path in files:
        h.update(str(path.relative_to(base)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _corpus_key(folder: Path, code: list[Path], embedder_name: str, files: list[Path] | None = None) -> str:
    files = files if files is not None else sorted(p for p in folder.rglob("*") if p.is_file())
    digest = _digest(files, folder, embedder_name)
    return _digest(sorted(code), ROOT, digest)


def cache_root() -> Path:
    from ingest.embedding import _default_cache_dir

    return _default_cache_dir() / "eval-stores"


@contextmanager
def _cached_dir(kind: str, folder: Path, code: list[Path], embedder_name: str, files: list[Path] | None = None):
    """(directory, ready): the cache folder for this corpus (or this subset of its files) and
    code, held under an exclusive lock so that two runs at once build it once; ready when a
    previous run completed it."""
    target = cache_root() / f"{kind}-{folder.name}-{_corpus_key(folder, code, embedder_name, files)}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_suffix(".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # blocks while another run builds the same store
        try:
            if (target / "complete").exists():
                yield target, True
                return
            shutil.rmtree(target, ignore_errors=True)  # an interrupted build
            target.mkdir(parents=True)
            yield target, False
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def corpus_store(folder: Path, embedder, include: tuple[str, ...] = ()):
    """(store, left out): a store holding the documents of a folder, or of the files matching
    the include globs (cached, see the module doc), and one "file: reason" line per file that
    did not go in. A real library holds files that fail (a scan with no text layer, an HTML
    page named .pdf), so they are left out and named rather than failing the suite; only a
    corpus where no document went in is refused."""
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    from evals.suite import corpus_files

    code = list((ROOT / "ingest").rglob("*.py"))
    files = corpus_files(folder, include) if include else None
    with _cached_dir("product", folder, code, embedder.name, files) as (directory, ready):
        store = Store(directory / "store", embedding_name=embedder.name)
        left_out = directory / "left-out.txt"  # kept beside the cached store: a rerun lists them too
        if not ready:
            report = ingest_paths(files or [folder], store, embedder, IngestOptions())
            if not store.documents():
                raise UserError(f"ingesting the suite corpus {folder} failed: no document went in\n{report.summary()}")
            left_out.write_text("".join(f"{_relative(o.path, folder)}: {o.detail}\n"
                                        for o in report.outcomes if o.status in ("failed", "skipped")))
            (directory / "complete").write_text("ok\n")
        failures = left_out.read_text(encoding="utf-8").splitlines() if left_out.exists() else []
    return store, failures


def _relative(path: str, folder: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(folder.resolve()))
    except ValueError:
        return path


def naive_index(folder: Path, embedder, include: tuple[str, ...] = ()):
    from evals import naive
    from evals.suite import corpus_files

    files = corpus_files(folder, include) if include else None
    with _cached_dir("naive", folder, [ROOT / "evals" / "naive.py"], embedder.name, files) as (directory, ready):
        if ready:
            return naive.open_index(embedder, directory / "chroma")
        index = naive.build_index(naive.split(naive.load_documents(folder, files)), embedder, directory / "chroma")
        (directory / "complete").write_text("ok\n")
        return index


# --- one case ------------------------------------------------------------------------------
def _matches(case: Case, level: str, retrieved: list[dict]) -> tuple[list[set[int]], int] | None:
    """Per retrieved passage, the gold references it holds at a level; None when the level
    cannot be judged for this case (no page in the references, no sections in the passages)."""
    refs = m.references_at(case.reference_sources, level)
    if not refs:
        return None
    rows = []
    for r in retrieved:
        judged = [m.passage_matches(ref, level, r["source"], r.get("section"), r.get("page_start"), r.get("page_end"))
                  for ref in refs]
        if any(j is None for j in judged):
            return None
        rows.append({i for i, j in enumerate(judged) if j})
    return rows, len(refs)


def retrieval_scores(case: Case, retrieved: list[dict]) -> dict:
    scores: dict = {}
    for level in LEVELS:
        found = _matches(case, level, retrieved)
        names = [f"{PREFIX[level]}_{n}" for n in ("hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10")]
        scores.update(m.retrieval_scores(*found, PREFIX[level]) if found else dict.fromkeys(names))
    scores["context_fact_recall@5"] = m.fact_recall(case.reference_facts, " ".join(r["text"] for r in retrieved[:5]))
    return scores


def _failures(case: Case, scores: dict, answer: dict | None) -> list[str]:
    out = []
    if answer is None:  # the naive baseline
        if case.answerable and scores.get("doc_hit@5") == 0:
            out.append("gold document not in the top 5")
        if case.answerable and scores.get("page_hit@5") == 0:
            out.append("gold page not in the top 5")
        return out
    if not case.answerable:
        if not answer["refused"]:
            out.append("answered an unanswerable question")
        return out
    if answer["refused"]:
        out.append("false refusal")
    if scores.get("para_hit@5") == 0:
        out.append("gold paragraph not in the top 5 retrieved")
    if not answer["refused"] and not scores["paragraph_cited"]:
        out.append("gold paragraph not cited")
    missing = [f for f in case.reference_facts if not m.fact_present(f, answer["answer"])]
    if missing:
        out.append("missing facts: " + "; ".join(missing))
    if answer["unsupported"]:
        out.append(f"unsupported sentences: {len(answer['unsupported'])}")
    if scores.get("citation_precision") is not None and scores["citation_precision"] < 1:
        out.append("citations that do not hold what they are cited for")
    return out


def failure_kind(failure: str) -> str:
    """'missing facts: $18 million' -> 'missing facts' (for filtering cases by what went wrong)."""
    return failure.split(":")[0]


def product_case(case: Case, assistant) -> dict:
    from ingest.sentences import split_sentences

    history = list(case.history)
    asked, timings = assistant.prepare(case.question, history, k=RETRIEVAL_K)
    passages = asked.passages
    retrieved = [{"source": p.source, "section": p.section, "page_start": int(p.metadata.get("page_start", 0) or 0),
                  "page_end": int(p.metadata.get("page_end", 0) or 0), "text": p.text} for p in passages]
    started = time.perf_counter()
    answer = assistant.ask(case.question, history=history)
    latency = (time.perf_counter() - started) * 1000
    scores = retrieval_scores(case, retrieved)
    citations = [c.as_dict() for c in answer.citations]
    # line by line: each bullet of a listed answer is a claim with its own marker
    sentences = [] if answer.refused else [s for line in answer.answer.replace(m.FLAG, "").split("\n")
                                           for s in split_sentences(re.sub(r"^\s*[-*]\s+", "", line))]
    quotes = {c["n"]: c["quote"] for c in citations}
    if case.answerable:
        scores["fact_recall"] = m.fact_recall(case.reference_facts, answer.answer)
        scores["token_f1"] = m.token_f1(answer.answer, case.reference) if case.reference else None
        scores["paragraph_cited"] = float(m.paragraph_cited(case.reference_sources, citations))
        scores["false_refusal_rate"] = float(answer.refused)
    else:
        scores["refusal_accuracy"] = float(answer.refused)
    if not answer.refused:
        scores["citation_precision"] = m.citation_precision(sentences, quotes, case.reference_facts)
        scores["citation_recall"] = m.citation_recall(sentences, quotes, case.reference_facts, answer.unsupported)
    scores.update(composition_scores(case, answer.answer, answer.refused))
    record = {"system": "product", "id": case.id, "question": case.question, "history": history,
              "tags": list(case.tags), "answerable": case.answerable, "answer": answer.answer,
              "refused": answer.refused, "citations": citations, "unsupported": answer.unsupported,
              "retrieved": [{k: v for k, v in r.items() if k != "text"} for r in retrieved],
              "latency_ms": round(latency, 1), "retrieval_ms": round(sum(timings.values()), 1),
              "scores": {k: _round(v) for k, v in scores.items()}}
    record["failures"] = _failures(case, scores, record)
    return record


def composition_scores(case: Case, text: str, refused: bool) -> dict:
    """Whether an answer reads like one (issue 13): its length, the share of its lines that
    carry a fact, a listed answer's completeness, a disagreement flagged, debris. Only answers
    given to answerable questions are judged."""
    if refused or not case.answerable:
        return {}
    scores = {"answer_chars": m.answer_length(text),
              "answer_precision": m.answer_precision(text, case.reference_facts, case.conflict_values),
              "fact_first": m.fact_first(text, case.reference_facts, case.conflict_values),
              "junk_share": float(bool(m.junk_found(text)))}
    if "list" in case.tags:
        scores["list_completeness"] = m.list_completeness(text, case.reference_facts)
    if "conflict" in case.tags and case.conflict_values:
        scores["conflicts_flagged"] = m.conflict_flagged(text, case.conflict_values)
    return scores


def naive_case(case: Case, index) -> dict:
    """The baseline has no answerer: its 'answer' is the text of its top 5 passages, which is
    what a tutorial pipeline hands to a model. Only its retrieval and whether the facts reach
    that context are scored; it never refuses, so refusal metrics do not apply."""
    from evals import naive

    question = " ".join([*case.history, case.question])  # no follow-up rewriting: the history is pasted in
    started = time.perf_counter()
    hits = naive.search(index, question, k=RETRIEVAL_K)
    latency = (time.perf_counter() - started) * 1000
    retrieved = [{"source": h.source, "section": None, "page_start": h.page, "page_end": h.page, "text": h.text}
                 for h in hits]
    scores = retrieval_scores(case, retrieved) if case.answerable else {}
    record = {"system": "naive", "id": case.id, "question": case.question, "history": list(case.history),
              "tags": list(case.tags), "answerable": case.answerable,
              "answer": "\n\n".join(h.text for h in hits[:naive.TOP_K]), "refused": False, "citations": [],
              "unsupported": [], "retrieved": [{k: v for k, v in r.items() if k != "text"} for r in retrieved],
              "latency_ms": round(latency, 1), "retrieval_ms": round(latency, 1),
              "scores": {k: _round(v) for k, v in scores.items()}}
    record["failures"] = _failures(case, scores, None)
    return record


def _round(value):
    return None if value is None else round(float(value), 4)


# --- summaries -----------------------------------------------------------------------------
def summarize(records: list[dict], resamples: int = 1000, seed: int = 0) -> dict:
    """Per metric: value (mean over the cases where it applies), n, and a bootstrap 95% CI
    for the headline metrics; latency p50/p95; the same means by tag."""
    if not records:
        return {"metrics": {}, "by_tag": {}, "cases": 0}
    names = sorted({k for r in records for k in r["scores"]})
    metrics: dict = {}
    for name in names:
        values = [r["scores"].get(name) for r in records]
        kept = [v for v in values if v is not None]
        if not kept:
            continue
        entry = {"value": round(m.mean(kept), 4), "n": len(kept)}
        if name in HEADLINE or name.endswith("@10"):
            ci = m.bootstrap_ci(kept, resamples=resamples, seed=seed)
            entry["ci"] = [round(ci[0], 4), round(ci[1], 4)]
        metrics[name] = entry
    for field, prefix in (("latency_ms", "latency"), ("retrieval_ms", "retrieval_latency")):
        values = [r[field] for r in records]
        for q in (50, 95):
            ci = m.bootstrap_ci(values, statistic=lambda a, q=q: float(np.percentile(a, q)), resamples=resamples,
                                seed=seed)
            metrics[f"{prefix}_p{q}_ms"] = {"value": round(m.percentile(values, q), 1), "n": len(values),
                                            "ci": [round(ci[0], 1), round(ci[1], 1)]}
    lengths = [r["scores"]["answer_chars"] for r in records if r["scores"].get("answer_chars") is not None]
    metrics.pop("answer_chars", None)  # a length is read at its percentiles, not its mean
    for q in (50, 95) if lengths else ():
        metrics[f"answer_chars_p{q}"] = {"value": round(m.percentile(lengths, q), 1), "n": len(lengths)}
    by_tag: dict = {}
    for tag in sorted({t for r in records for t in r["tags"]}):
        tagged = [r for r in records if tag in r["tags"]]
        row = {"cases": len(tagged)}
        for name in HEADLINE:
            value = m.mean(r["scores"].get(name) for r in tagged)
            if value is not None:
                row[name] = round(value, 4)
        by_tag[tag] = row
    return {"cases": len(records), "metrics": metrics, "by_tag": by_tag}


@dataclass
class SuiteRun:
    name: str
    path: Path
    corpus: str  # the folder ingested, or "store: <dir>"
    product: list[dict]
    naive: list[dict] | None
    left_out: list[str] = field(default_factory=list)  # corpus files not ingested, "file: reason"
    # the same cases answered with the parameters fitted without this suite (extractive only)
    held_out: list[dict] | None = None


# The figures compared between a suite's fitted and held-out runs; held_out_gap is the largest
# difference, gated so that a parameter that only helps the suite it was fitted on shows.
HELD_OUT_METRICS = ("paragraph_cited", "fact_recall", "refusal_accuracy", "false_refusal_rate", "citation_precision")


def held_out_summary(product: dict, held_out: list[dict], resamples: int) -> dict:
    summary = summarize(held_out, resamples)
    gaps = [abs(product["metrics"][k]["value"] - summary["metrics"][k]["value"]) for k in HELD_OUT_METRICS
            if k in product["metrics"] and k in summary["metrics"]]
    if gaps:
        product["metrics"]["held_out_gap"] = {"value": round(max(gaps), 4), "n": len(gaps)}
    return summary


def run_suite(name: str, path: Path, cases: list[Case], assistant, index=None, corpus: str = "",
              progress: Progress | None = None, left_out: list[str] | None = None) -> SuiteRun:
    product, naive_records = [], [] if index is not None else None
    total = len(cases) * (2 if index is not None else 1)
    done = 0
    for case in cases:
        product.append({"suite": name, **product_case(case, assistant)})
        done += 1
        if progress:
            progress(f"{name}: {case.id}", done, total)
    if index is not None:
        for case in cases:
            naive_records.append({"suite": name, **naive_case(case, index)})
            done += 1
            if progress:
                progress(f"{name} (naive): {case.id}", done, total)
    return SuiteRun(name, Path(path), corpus, product, naive_records, list(left_out or []))


def summary_of(runs: list[SuiteRun], backend: str, resamples: int = 1000) -> dict:
    out = {"created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "backend": backend,
           "retrieval_k": RETRIEVAL_K, "suites": {}}
    for run in runs:
        entry = {"path": str(run.path), "corpus": run.corpus, "cases": len(run.product),
                 "left_out": run.left_out, "product": summarize(run.product, resamples)}
        if run.held_out is not None:
            entry["held_out"] = held_out_summary(entry["product"], run.held_out, resamples)
        if run.naive is not None:
            entry["naive"] = summarize(run.naive, resamples)
        out["suites"][run.name] = entry
    return out


def evaluate(suite_paths: list[Path], settings, embedder, backend: str = "extractive", naive: bool = True,
             from_store: bool = False, progress: Progress | None = None, resamples: int = 1000,
             tags: tuple[str, ...] = (), limit: int | None = None, configured_store=None) -> tuple[dict, list[SuiteRun]]:
    """Run suites and summarise them. Each suite runs over its declared corpus (a cached scratch
    store) unless from_store, or unless it declares none; then over the configured store
    (configured_store when the caller holds it open already, as the app does). tags keeps the
    cases with one of those tags; limit keeps the first cases of each suite."""
    import tempfile

    from assistant.core.answer_params import held_out
    from assistant.access.audit import AuditLog
    from assistant.core.engine import Assistant
    from assistant.core.answerers import ExtractiveBackend
    from assistant.services import make_answerer, make_store
    from evals.suite import corpus_include, load_suite, suite_corpus, suite_name
    from assistant.access.profiles import profile_for
    from ingest.reader import StoreReader

    loaded = [(Path(p), load_suite(Path(p)), suite_corpus(Path(p), ROOT), corpus_include(Path(p))) for p in suite_paths]
    runs = []
    with tempfile.TemporaryDirectory(prefix="planassist-eval-") as scratch:
        audit = AuditLog(Path(scratch) / "audit.jsonl")  # eval questions stay out of the user's audit log
        for path, cases, folder, include in loaded:
            if tags:
                cases = [c for c in cases if set(tags) & set(c.tags)]
            cases = cases[:limit] if limit else cases
            if not cases:
                raise UserError(f"{path.name}: no cases to run (tags: {', '.join(tags) or 'any'})")
            name = suite_name(path)
            if progress:
                progress(f"{name}: preparing the store", 0, 1)
            left_out: list[str] = []
            if folder is not None and not from_store:
                (store, left_out) = corpus_store(folder, embedder, include)
                corpus = str(folder) + (f" (include: {', '.join(include)})" if include else "")
            else:
                # the configured store as the settings' profile may see it: a report written
                # from the store holds only what that user may read
                store = configured_store or StoreReader(make_store(settings, embedder)).visible_to(profile_for(settings))
                corpus = f"store {store.store_dir}"
                if not store.documents():
                    raise UserError(f"{path.name}: the store {store.store_dir} is empty; ingest the suite's "
                                    "documents first, or declare its corpus in a .corpus file beside it")
            answerer = make_answerer(settings, embedder, backend)
            assistant = Assistant(store, embedder, answerer=answerer, audit=audit)
            index = None
            if naive and folder is not None:
                if progress:
                    progress(f"{name}: preparing the naive baseline", 0, 1)
                index = naive_index(folder, embedder, include)
            run = run_suite(name, path, cases, assistant, index, corpus, progress, left_out)
            held = held_out(name) if isinstance(answerer, ExtractiveBackend) else None  # the extractive's parameters
            if held is not None:
                # the same cases answered with the parameters fitted without this suite
                # (scripts/fit_answerer.py): a gap to the fitted figures is overfitting
                blind = Assistant(store, embedder, answerer=ExtractiveBackend(embedder, params=held), audit=audit)
                run.held_out = []
                for i, case in enumerate(cases, start=1):
                    run.held_out.append({"suite": name, **product_case(case, blind)})
                    if progress:
                        progress(f"{name} (held out): {case.id}", i, len(cases))
            runs.append(run)
    return summary_of(runs, backend, resamples), runs
