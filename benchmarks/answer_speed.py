"""Answer speed: retrieval and extractive answers against the naive LangChain setup, same run.

    .venv/bin/python benchmarks/answer_speed.py [--skip-naive] [--skip-samm]

Ingests corpus/documents and ../shared/realdocs/samm into a temporary store, then, for every
question in evals/suites/corpus.jsonl (after 3 warm-up questions), times the product's hybrid
retrieval (k=12) and its full extractive answer (retrieve, extract, check), and the naive
setup's Chroma similarity_search (k=5) over the same files' pages split 1000/200 and embedded
with the same all-MiniLM-L6-v2 through HuggingFaceEmbeddings. It also times one cold
`planassist ask` process, start to exit. The machines here are shared and noisy, so the
ratios matter more than the absolute times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 3
RETRIEVAL_P50_MS = 30.0
ANSWER_P95_MS = 300.0
COLD_QUESTION = "What is Zarvia's FY2026 FMF?"


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timed(fn, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def run_product(folders: list[Path], store_dir: Path, questions: list[str]) -> dict:
    from assistant.core.engine import Assistant
    from ingest.embedding import Embedder
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    embedder = Embedder().warm_up()
    store = Store(store_dir, embedding_name=embedder.name)
    report = ingest_paths(folders, store, embedder, IngestOptions()).as_dict()
    assistant = Assistant(store, embedder)
    for question in questions[:WARM_UP]:
        assistant.search.search(question, 12)
        assistant.ask(question)
    retrieve, answer, parts = [], [], {"retrieve": [], "answer": [], "check": []}
    for question in questions:
        retrieve.append(timed(assistant.search.search, question, 12)[0])
        ms, result = timed(assistant.ask, question)
        answer.append(ms)
        for key in parts:
            if key in result.timings_ms:
                parts[key].append(result.timings_ms[key])
    return {"pages": report["pages"], "chunks": report["chunks_written"], "retrieve": retrieve,
            "answer": answer, "parts": parts}


def run_naive(folders: list[Path], work: Path, questions: list[str]) -> dict:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embedding import default_model_dir
    from ingest.errors import DocumentError
    from ingest.loaders import load_document
    from ingest.pipeline import walk

    pages = []
    for path in walk(folders)[0]:
        try:
            loaded = load_document(path)
        except DocumentError:
            continue  # the product reports these as failed and stores nothing either
        pages += [Document(page_content=p.text, metadata={"source": loaded.source, "page": p.number})
                  for p in loaded.pages if p.text.strip()]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    embeddings = HuggingFaceEmbeddings(model_name=str(default_model_dir()), model_kwargs={"device": "cpu"},
                                       encode_kwargs={"normalize_embeddings": True})
    vectorstore = Chroma.from_documents(chunks, embeddings, collection_name="naive",
                                        persist_directory=str(work / "naive"))
    for question in questions[:WARM_UP]:
        vectorstore.similarity_search(question, k=5)
    retrieve = [timed(vectorstore.similarity_search, question, 5)[0] for question in questions]
    return {"pages": len(pages), "chunks": len(chunks), "retrieve": retrieve}


def cold_ask(store_dir: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANASSIST_")}
    command = [str(ROOT / ".venv" / "bin" / "planassist"), "--store", str(store_dir), "ask", COLD_QUESTION]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(f"planassist ask exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-samm", action="store_true")
    args = parser.parse_args()
    folders = [ROOT / "corpus" / "documents"]
    if not args.skip_samm:
        folders.append(ROOT.parent / "shared" / "realdocs" / "samm")
    for folder in folders:
        if not folder.is_dir():
            sys.exit(f"{folder}: no such folder (use --skip-samm to leave the SAMM out)")
    suite = ROOT / "evals" / "suites" / "corpus.jsonl"
    questions = [json.loads(line)["question"] for line in suite.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as work:
        store_dir = Path(work) / "product"
        product = run_product(folders, store_dir, questions)
        r, a = product["retrieve"], product["answer"]
        print(f"{len(questions)} questions, {product['pages']} pages, {product['chunks']} chunks, "
              f"{os.cpu_count()} cores", flush=True)
        print(f"product retrieval (k=12)    p50 {pct(r, 50):7.1f} ms  p95 {pct(r, 95):7.1f} ms")
        print(f"product answer (extractive) p50 {pct(a, 50):7.1f} ms  p95 {pct(a, 95):7.1f} ms")
        means = "  ".join(f"{key} {sum(v) / len(v):.1f} (n={len(v)})" if v else f"{key} -"
                          for key, v in product["parts"].items())
        print(f"answer timings_ms means (ms; check runs only on non-refused answers): {means}", flush=True)
        if not args.skip_naive:
            naive = run_naive(folders, Path(work), questions)
            n = naive["retrieve"]
            print(f"naive similarity_search (k=5) p50 {pct(n, 50):7.1f} ms  p95 {pct(n, 95):7.1f} ms  "
                  f"({naive['pages']} pages, {naive['chunks']} chunks)")
            print(f"retrieval side by side: product p50 {pct(r, 50):.1f} ms vs naive p50 {pct(n, 50):.1f} ms; "
                  f"ratio naive/product {pct(n, 50) / pct(r, 50):.2f}x")
        print(f"cold `planassist ask`: {cold_ask(store_dir):.2f} s (process start to exit)")
        ok_r, ok_a = pct(r, 50) < RETRIEVAL_P50_MS, pct(a, 95) < ANSWER_P95_MS
        print(f"target retrieval p50 < {RETRIEVAL_P50_MS:.0f} ms: {'holds' if ok_r else 'MISSED'} "
              f"({pct(r, 50):.1f} ms)")
        print(f"target extractive answer p95 < {ANSWER_P95_MS:.0f} ms: {'holds' if ok_a else 'MISSED'} "
              f"({pct(a, 95):.1f} ms)")


if __name__ == "__main__":
    main()
