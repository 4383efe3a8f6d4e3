"""Load test: concurrent question streams against one warm assistant while an ingest writes
into the same store, in one process (loopback only: no network at all).

    .venv/bin/python benchmarks/load_test.py [--streams 8] [--seconds 60] [--ingest-docs 150]
                                             [--questions 40] [--store DIR]

The embedder, store and assistant come from the same factories the app's shared resources
use (assistant/services.py, built once, shared by every session). The bundled corpus is
ingested first; every question of evals/suites/corpus.jsonl (or the first --questions) is
asked alone to record its answer. Then --streams threads ask those questions in shuffled
orders for --seconds while another thread ingests --ingest-docs generated documents (and the
SAMM chapters with --pdfs) into the same store. Questions are limited to the corpus documents
(a document filter), so that what is compared is the effect of concurrency, not of the new
documents' content. Prints throughput, p50/p95 latency, errors, and how many answers were
identical (answer text, refusal, cited chunk ids) to the same question asked alone.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fingerprint(answer) -> tuple:
    return (answer.answer, answer.refused, tuple(c.chunk_id for c in answer.citations),
            tuple(c.chunk_id for c in answer.closest))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def filler_text(number: int) -> str:
    """A document of made-up words: it shares no term with the questions, so it moves the
    bm25 statistics and the dense index as little as a new document can."""
    rng = random.Random(number)
    syllables = ["zor", "vek", "tal", "mun", "dri", "quo", "pex", "lam", "bry", "sut"]
    word = lambda: "".join(rng.choice(syllables) for _ in range(3))  # noqa: E731
    paragraphs = [f"{p}. " + " ".join(word() for _ in range(110)) + "." for p in range(1, 13)]
    return f"# Filler {number:03d}\n\n" + "\n\n".join(paragraphs) + "\n"


def run(streams: int = 8, seconds: float = 60, ingest_docs: int = 150, questions: int | None = None,
        work: Path | None = None, pdfs: Path | None = None, seed: int = 3, log=print,
        ingest_collection: str | None = None) -> dict:
    """ingest_collection: ingest into this other collection of the same store folder (the
    Chroma client, embedder and machine shared, the answered collection unchanged), so that
    answers must be identical to those asked alone; None: into the answered collection."""
    from assistant.config import Settings
    from assistant.core.passages import Filters
    from assistant.services import make_assistant, make_embedder, make_store
    from evals.suite import load_suite
    from ingest.pipeline import IngestOptions, ingest_paths

    work = Path(work or tempfile.mkdtemp(prefix="load-test-"))
    settings = Settings(store_dir=work / "store")
    embedder = make_embedder(settings).warm_up()
    store = make_store(settings, embedder)
    report = ingest_paths([ROOT / "corpus" / "documents"], store, embedder, IngestOptions())
    assert not report.failed, report.summary()
    assistant = make_assistant(settings, embedder, store, "extractive")
    corpus_only = Filters(doc_ids=tuple(d.doc_id for d in store.documents()))
    asked = [case.question for case in load_suite(ROOT / "evals" / "suites" / "corpus.jsonl")][:questions]

    started = time.perf_counter()
    alone = {q: fingerprint(assistant.ask(q, filters=corpus_only, user="load-alone")) for q in asked}
    alone_seconds = time.perf_counter() - started
    log(f"{len(asked)} questions asked alone in {alone_seconds:.1f} s "
        f"({len(asked) / alone_seconds:.2f} questions/s, one stream)")

    folder = work / "incoming"
    folder.mkdir(exist_ok=True)
    for n in range(ingest_docs):
        (folder / f"filler_{n:03d}.md").write_text(filler_text(n), encoding="utf-8")
    if pdfs:
        shutil.copytree(pdfs, folder / "pdfs")

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    compared = identical = 0
    differing: list[str] = []
    stop = threading.Event()
    answers: dict[str, set] = {}
    ingest_result: dict = {}
    target = store if ingest_collection is None else make_store(replace(settings, collection=ingest_collection),
                                                                embedder)

    def stream(number: int) -> None:
        nonlocal compared, identical
        rng = random.Random(seed * 100 + number)
        order = list(asked)
        while not stop.is_set():
            rng.shuffle(order)
            for question in order:
                if stop.is_set():
                    return
                began = time.perf_counter()
                try:
                    answer = assistant.ask(question, filters=corpus_only, user=f"load-{number}")
                except Exception as exc:  # every failure is a finding, counted and shown
                    with lock:
                        errors.append(f"{question[:60]}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")
                    continue
                elapsed = time.perf_counter() - began
                same = fingerprint(answer) == alone[question]
                with lock:
                    answers.setdefault(question, set()).add(fingerprint(answer))
                with lock:
                    latencies.append(elapsed)
                    compared += 1
                    identical += same
                    if not same and len(differing) < 5:
                        differing.append(question)

    def ingest() -> None:
        began = time.perf_counter()
        try:
            result = ingest_paths([folder], target, embedder, IngestOptions())
            ingest_result.update(result.counts(), seconds=time.perf_counter() - began,
                                 chunks=result.as_dict()["chunks_written"])
        except Exception as exc:
            with lock:
                errors.append(f"ingest: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}")

    writer = threading.Thread(target=ingest, name="ingest")
    threads = [threading.Thread(target=stream, args=(n,), name=f"stream-{n}") for n in range(streams)]
    began = time.perf_counter()
    writer.start()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ingest_running_at_end = writer.is_alive()
    writer.join()
    # With the ingest in the answered collection, the documents it added move bm25's
    # statistics and the dense index a little; a differing answer should then be the one the
    # question gets alone after the ingest. Answers that match neither are counted.
    after = {q: fingerprint(assistant.ask(q, filters=corpus_only, user="load-alone")) for q in answers}
    unexplained = [q for q, seen in answers.items() if seen - {alone[q], after[q]}]

    from ingest.store_check import check_store

    store_ok = check_store(store).ok
    figures = {
        "streams": streams, "seconds": round(wall, 1), "questions_answered": len(latencies),
        "throughput_qps": round(len(latencies) / wall, 2),
        "p50_ms": round(percentile(latencies, 50) * 1000), "p95_ms": round(percentile(latencies, 95) * 1000),
        "max_ms": round(max(latencies, default=0) * 1000), "errors": len(errors),
        "answers_compared": compared, "identical": identical,
        "alone_qps": round(len(asked) / alone_seconds, 2),
        "alone_mean_ms": round(alone_seconds / len(asked) * 1000),
        "ingest": ingest_result, "ingest_overlapped_whole_run": ingest_running_at_end,
        "store_check_ok": store_ok, "error_list": errors, "differing": differing,
        "questions_changed_by_ingest": sum(1 for q in after if after[q] != alone[q]),
        "unexplained": len(unexplained), "unexplained_list": unexplained[:5],
        "ingest_into": ingest_collection or "the answered collection",
    }
    return figures


def _kill_test_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("kill_test", ROOT / "benchmarks" / "kill_test.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ingest-docs", type=int, default=150)
    parser.add_argument("--questions", type=int, default=None, help="Only the first N questions of the suite.")
    parser.add_argument("--pdfs", type=Path, default=None, help="Also ingest this folder of PDFs during the load.")
    parser.add_argument("--ingest-collection", default=None,
                        help="Ingest into this other collection of the store (answers must then be identical).")
    parser.add_argument("--store", type=Path, default=None, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.store or Path(tempfile.mkdtemp(prefix="load-test-"))
    try:
        figures = run(args.streams, args.seconds, args.ingest_docs, args.questions, work, args.pdfs,
                      ingest_collection=args.ingest_collection)
    finally:
        if not args.store:
            shutil.rmtree(work, ignore_errors=True)
    for error in figures.pop("error_list")[:10]:
        print("ERROR", error)
    figures.pop("differing")
    for question in figures.pop("unexplained_list"):
        print("DIFFERS from alone before and after the ingest:", question)
    print(f"{figures['streams']} streams for {figures['seconds']} s while ingesting "
          f"({figures['ingest']}, still running at the end: {figures['ingest_overlapped_whole_run']}): "
          f"{figures['questions_answered']} answers, {figures['throughput_qps']} questions/s "
          f"(alone: {figures['alone_qps']}/s, mean {figures['alone_mean_ms']} ms), "
          f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms, "
          f"errors: {figures['errors']}, identical to alone: {figures['identical']}/{figures['answers_compared']} "
          f"(ingest into {figures['ingest_into']}; {figures['questions_changed_by_ingest']} questions answered "
          f"differently alone after the ingest; answers matching neither alone answer: {figures['unexplained']}), "
          f"store check ok: {figures['store_check_ok']}")
    sys.exit(1 if figures["errors"] or figures["unexplained"] or not figures["store_check_ok"] else 0)


if __name__ == "__main__":
    main()
