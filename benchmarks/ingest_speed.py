"""Ingestion speed: the product against the naive LangChain setup, in the same run.

    .venv/bin/python benchmarks/ingest_speed.py [FOLDER] [--skip-naive]

FOLDER defaults to ../shared/realdocs/samm (154 real pages). The naive setup is the one
planners would assemble from a tutorial: PyPDFLoader, RecursiveCharacterTextSplitter
1000/200, HuggingFaceEmbeddings with the same all-MiniLM-L6-v2, Chroma. Both start from an
empty store and include loading their model; the product's one-time ONNX export is done
before timing (it is made once per machine and cached). The machines here are shared and
noisy, so the ratio is the figure to read, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_product(folder: Path, work: Path) -> dict:
    from ingest.embedding import Embedder
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    Embedder().warm_up()  # the cached export exists before timing starts
    started = time.perf_counter()
    embedder = Embedder().warm_up()
    store = Store(work / "product", embedding_name=embedder.name)
    report = ingest_paths([folder], store, embedder, IngestOptions())
    seconds = time.perf_counter() - started
    data = report.as_dict()
    return {"seconds": seconds, "pages": data["pages"], "chunks": data["chunks_written"],
            "failed": data["counts"]["failed"]}


def run_naive(folder: Path, work: Path) -> dict:
    from evals import naive

    started = time.perf_counter()
    pages = naive.load_documents(folder)
    chunks = naive.split(pages)
    naive.build_index(chunks, naive.huggingface_embeddings(), work / "naive")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pages": len(pages), "chunks": len(chunks), "failed": 0}


def line(name: str, r: dict) -> str:
    return (f"{name:<8} {r['seconds']:8.1f} s  {r['pages'] / r['seconds']:7.2f} pages/s  "
            f"{r['chunks'] / r['seconds']:7.1f} chunks/s  ({r['pages']} pages, {r['chunks']} chunks)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "realdocs" / "samm"))
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    folder = Path(args.folder)
    if not folder.is_dir():
        sys.exit(f"{folder}: no such folder")
    with tempfile.TemporaryDirectory() as work:
        product = run_product(folder, Path(work))
        print(line("product", product), flush=True)
        if args.skip_naive:
            return
        naive = run_naive(folder, Path(work))
        print(line("naive", naive))
        print(f"speed-up: {naive['seconds'] / product['seconds']:.2f}x the naive LangChain setup "
              f"(pages/s ratio), {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
