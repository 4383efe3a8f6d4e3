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


def run(streams: int = 8, seconds: float = 60, ingest_docs: int = 150, questions: int | None = None,
        work: Path | None = None, pdfs: Path | None = None, seed: int = 3, log=print) -> dict:
    from assistant.config import Settings
    from assistant.passages import Filters
    from assistant.services import make_assistant, make_embedder, make_store
    from evals.suite import load_suite
    from ingest.pipeline import IngestOptions, ingest_paths

    kill_test = _kill_test_module()
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
        (folder / f"plan_{n:03d}.md").write_text(kill_test.document_text(n, 1), encoding="utf-8")
    if pdfs:
        shutil.copytree(pdfs, folder / "pdfs")

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    compared = identical = 0
    differing: list[str] = []
    stop = threading.Event()
    ingest_result: dict = {}

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
                    latencies.append(elapsed)
                    compared += 1
                    identical += same
                    if not same and len(differing) < 5:
                        differing.append(question)

    def ingest() -> None:
        began = time.perf_counter()
        try:
            result = ingest_paths([folder], store, embedder, IngestOptions())
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
    parser.add_argument("--store", type=Path, default=None, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.store or Path(tempfile.mkdtemp(prefix="load-test-"))
    try:
        figures = run(args.streams, args.seconds, args.ingest_docs, args.questions, work, args.pdfs)
    finally:
        if not args.store:
            shutil.rmtree(work, ignore_errors=True)
    for error in figures.pop("error_list")[:10]:
        print("ERROR", error)
    for question in figures.pop("differing"):
        print("DIFFERS", question)
    print(f"{figures['streams']} streams for {figures['seconds']} s while ingesting "
          f"({figures['ingest']}, still running at the end: {figures['ingest_overlapped_whole_run']}): "
          f"{figures['questions_answered']} answers, {figures['throughput_qps']} questions/s "
          f"(alone: {figures['alone_qps']}/s, mean {figures['alone_mean_ms']} ms), "
          f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms, "
          f"errors: {figures['errors']}, identical to alone: {figures['identical']}/{figures['answers_compared']}, "
          f"store check ok: {figures['store_check_ok']}")
    sys.exit(1 if figures["errors"] or figures["identical"] != figures["answers_compared"] else 0)


if __name__ == "__main__":
    main()
