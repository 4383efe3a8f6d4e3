"""Retrieval quality: the product's hybrid search against the naive LangChain setup, on a
gold suite, in the same run.

    .venv/bin/python benchmarks/retrieval_quality.py [SUITE] [FOLDER]

Defaults: evals/suites/samm.jsonl over ../shared/realdocs/samm. The naive setup is
PyPDFLoader pages, RecursiveCharacterTextSplitter 1000/200, HuggingFaceEmbeddings with the
same model, Chroma top 5 (evals/naive.py, shared with `planassist eval`). Its chunks carry no paragraph ids, so the comparison is at the
levels both can be judged on: the right document, and the right page (a chunk counts when
its page is the gold page). The product's paragraph-level hit is printed too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K = 5


def product_hits(cases, folder: Path, work: Path) -> dict:
    from assistant.core.retrieval import HybridSearch
    from evals.metrics import section_matches
    from ingest.embedding import Embedder
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    embedder = Embedder().warm_up()
    store = Store(work / "product", embedding_name=embedder.name)
    ingest_paths([folder], store, embedder, IngestOptions())
    search = HybridSearch(store, embedder)
    hits = {"document": 0, "page": 0, "paragraph": 0}
    for case in cases:
        passages = search.search(case.question, K)
        refs = case.reference_sources
        hits["document"] += any(p.source == r["source"] for p in passages for r in refs)
        hits["page"] += any(p.source == r["source"] and r.get("page") is not None and
                            int(p.metadata["page_start"]) <= r["page"] <= int(p.metadata["page_end"])
                            for p in passages for r in refs)
        hits["paragraph"] += any(p.source == r["source"] and section_matches(r.get("section", ""), p.section)
                                 for p in passages for r in refs)
    return hits


def naive_hits(cases, folder: Path, work: Path) -> dict:
    from evals import naive

    index = naive.build_index(naive.split(naive.load_documents(folder)), naive.huggingface_embeddings(), work / "naive")
    hits = {"document": 0, "page": 0}
    for case in cases:
        found = naive.search(index, case.question, k=K)
        refs = case.reference_sources
        hits["document"] += any(h.source == r["source"] for h in found for r in refs)
        hits["page"] += any(h.source == r["source"] and h.page == r.get("page") for h in found for r in refs)
    return hits


def main() -> None:
    from evals.suite import load_suite

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", nargs="?", default=str(ROOT / "evals" / "suites" / "samm.jsonl"))
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "realdocs" / "samm"))
    args = parser.parse_args()
    cases = [c for c in load_suite(Path(args.suite)) if c.answerable]
    with tempfile.TemporaryDirectory() as work:
        product = product_hits(cases, Path(args.folder), Path(work))
        naive = naive_hits(cases, Path(args.folder), Path(work))
    n = len(cases)
    print(f"{n} answerable cases, hit@{K}")
    print(f"{'':10} {'document':>9} {'page':>7} {'paragraph':>10}")
    print(f"{'product':10} {product['document'] / n:9.3f} {product['page'] / n:7.3f} {product['paragraph'] / n:10.3f}")
    print(f"{'naive':10} {naive['document'] / n:9.3f} {naive['page'] / n:7.3f} {'-':>10}")


if __name__ == "__main__":
    main()
