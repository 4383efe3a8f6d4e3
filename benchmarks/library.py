"""The library benchmark: a real planner's library (../shared/realdocs/dsca, 318 files, about
2,040 pages) ingested, searched and answered by the product beside the naive LangChain setup,
in one run, then the same store replicated to 10x and 50x to show how cost grows.

    nice .venv/bin/python benchmarks/library.py [--questions FILE] [--quick] [--scales 10,50]
        [--skip-naive] [--skip-floors] [--keep DIR] [--distractors] [--chart FILE.svg] [--json out.json]

What it measures (each measured thing runs in its own process, so memory is its own):
  a. ingest pages/s of the product (fresh store in a temp dir) and of the naive setup
     (PyPDFLoader, RecursiveCharacterTextSplitter 1000/200, HuggingFaceEmbeddings with the same
     all-MiniLM-L6-v2, Chroma; evals/naive.py), and their ratio (target >= 3x);
  b. bare pypdf text extraction of the same files with as many processes as the product
     uses (the parsing floor);
  c. the int8 embedder alone on the chunk texts the ingest produced (chunks/s), against its
     throughput inside the ingest (chunks / seconds spent in encode), as a ratio (target >= 0.8);
  d. the ingest's peak memory: the resident set of the whole process tree (the ingest and its
     PDF workers), sampled from /proc every 0.2 s, and the main process's own ru_maxrss
     (target <= 1 GB);
  e. retrieval (k=12) and extractive answer p50/p95 for the questions over the loaded library
     beside the naive similarity_search (k=5) (targets: retrieval p50 <= naive's, answer p95
     <= 300 ms);
  f. the store replicated to each scale (synthetic copies with new ids, vectors nudged by a
     small random vector and renormalised so HNSW does not see exact duplicates, written
     through the store's own Chroma and keyword-index code): the same latencies, the query
     process's peak memory, the store's size on disk and the time to write one more document;
     a table and a log-log chart (matplotlib, the `bench` extra).
  --distractors: paragraph hit@5 of the suite's answerable questions with only the documents
     they cite loaded, then with the whole folder loaded; the drop (target <= 0.05).
  --quick: 12 files, scales 2 and 5, 6 questions: a smoke run of every path.
  --keep DIR: the 1x store, the ingest's figures and its chunk texts are kept in DIR and reused
     by the next run with the same DIR (the 30-minute ingest is not repeated; its figures are
     printed as that run measured them).

The machines here are 2 shared cores: read the ratios, not the seconds.

Where the curve bends, and why (what the code does; the table of a run shows by how much):
- Dense search is Chroma's HNSW index: its query cost grows with log(n), but the whole index
  (vectors plus graph links, about 1.7 KB a chunk for 384-dim float32 vectors and 16
  neighbours) is loaded into the memory of every process that queries it, so memory grows
  linearly, and recall drops as near-duplicates crowd the graph unless ef_search grows with it.
- Keyword search is SQLite FTS5: `ORDER BY bm25 LIMIT 100` scores every row that matches any
  of the question's words (an OR query), so its cost grows linearly with the chunks holding a
  word: this is the part of retrieval expected to bend the curve upward first. Words in over
  half the chunks are left out of the query (bm25 gives them no weight), which trims the
  worst of it but not its slope.
- The candidate blend in assistant/core/retrieval.py takes 100 candidates from each search and
  fetches the stored vectors of the keyword-only hits that could still rank (a bound from the
  farthest dense hit); that part is bounded whatever the library's size. The document register
  is read once per change of the store (its generation), not on every search.
- Ingest: `Store.write_rows` asks the register for the documents at the same path through
  `KeywordIndex.documents_at`, an indexed lookup by path, so writing one more document costs
  about the same whatever the library's size; what still grows is Chroma's own write (its HNSW
  insert is log(n), its SQLite metadata indexes grow) ("write 1 doc" in the table).

What a user with 100,000 documents (about 2.7 million chunks) should do:
- Run Chroma as a server (`chroma run --path DIR`, `--chroma-url`): the HNSW index then lives
  in one long-lived process instead of being loaded by every CLI command, and the app and the
  CLI share it. Give the collection explicit HNSW settings when creating it
  (`configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "max_neighbors": 32,
  "ef_search": 128}}`): the defaults (100 / 16 / 100) lose recall past a few million vectors,
  and ef_search must stay above the 100 candidates retrieval asks for. Budget about 4-5 GB of
  memory for the index (2.7 M x 384 x 4 bytes plus links).
- Keep the keyword index on SQLite, but make its query an AND of the rarer words first (or
  lower the share of chunks above which a word is left out, COMMON_WORD_SHARE in
  assistant/core/retrieval.py) so bm25 does not score a million rows per question.
- Ingest in batches through `planassist ingest` on a machine with more cores: parsing is
  pypdf in worker processes (the floor above) and embedding is the int8 model; neither needs
  a GPU, but both scale with cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_FOLDER = ROOT.parent / "shared" / "realdocs" / "dsca"
WARM_UP = 3
K_PRODUCT, K_NAIVE, K_HITS = 12, 5, 5
TARGETS = {"ingest_ratio": 3.0, "embed_ratio": 0.8, "ingest_peak_mb": 1024.0, "answer_p95_ms": 300.0,
           "distractor_drop": 0.05}
NUDGE = 0.05  # norm of the random vector added to a copy's vectors (cosine to the original ~0.999)
QUICK_FILES, QUICK_QUESTIONS, QUICK_SCALES = 12, 6, (2, 5)
STALL_SECONDS = 600  # a step whose processes use no CPU this long has hung: it is stopped, not waited on


# --- small helpers ---------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def load_questions(path: Path) -> list[dict]:
    """A gold suite (JSONL with `question`, optionally `answerable` and `reference_sources`)
    or a plain file of one question a line."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{path} line {number}: not valid JSON ({exc.msg})")
            if not data.get("question") or data.get("history"):
                continue  # follow-ups need their conversation; this times single questions
            cases.append(data)
        else:
            cases.append({"question": line})
    if not cases:
        sys.exit(f"{path}: no questions in it")
    return cases


def tree_usage(pid: int) -> tuple[int, int]:
    """(resident set in kB, CPU clock ticks used) of a process and all its descendants, from /proc."""
    rss, ticks, todo, seen = 0, 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # the process ended between two reads
    return rss, ticks


def in_child(kind: str, **params) -> dict:
    """Run one measured step in its own process; returns its JSON result with the peak
    resident set of its process tree (`tree_peak_mb`)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(params)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True, start_new_session=True)
    peak, stalled, loads = [0], [], []
    stop = threading.Event()

    def sample() -> None:
        # A step is stopped when its processes use no CPU for STALL_SECONDS (a hang, as the
        # ingest's worker deadlock was), never merely for being slow on a loaded machine.
        ticks, moved = -1, time.monotonic()
        while not stop.wait(0.2):
            rss, used = tree_usage(process.pid)
            peak[0] = max(peak[0], rss)
            loads.append(os.getloadavg()[0])
            if used != ticks:
                ticks, moved = used, time.monotonic()
            elif time.monotonic() - moved > STALL_SECONDS:
                stalled.append(True)
                os.killpg(process.pid, signal.SIGKILL)  # the step and its workers (its own session)
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    stop.set()
    sampler.join()
    if stalled:
        sys.exit(f"the {kind} step used no CPU for {STALL_SECONDS} s (a hang); stopped it")
    if process.returncode != 0:
        sys.exit(f"the {kind} step failed (exit {process.returncode}); its error is above")
    result = json.loads(out.strip().splitlines()[-1])
    result["tree_peak_mb"] = peak[0] / 1024
    # the machine is shared: say how loaded it was while this step ran
    result["load_mean"] = sum(loads) / len(loads) if loads else os.getloadavg()[0]
    print(f"    {kind}: load average {result['load_mean']:.1f} on {os.cpu_count()} cores during the step", flush=True)
    return result


def own_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the measured steps (each runs in a child process) ------------------------------------------
def child_ingest(folder: str, store: str, texts_out: str) -> dict:
    from ingest import vector_store
    from ingest.embedding import Embedder
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    started = time.perf_counter()
    embedder = Embedder().warm_up()
    spent, texts = [0.0], []

    def timed(call):
        def run(batch, *rest):
            began = time.perf_counter()
            found = call(batch, *rest)
            spent[0] += time.perf_counter() - began
            texts.extend(batch)
            return found
        return run

    # the pipeline's calls into the model: encode_spans (chunk and sentence vectors from one
    # forward pass), or encode for an embedder without it
    embedder.encode, embedder.encode_spans = timed(embedder.encode), timed(embedder.encode_spans)
    opened = Store(Path(store), embedding_name=embedder.name)
    write, writing = opened.write_document, [0.0]

    def timed_write(*args, **kwargs):
        began = time.perf_counter()
        try:
            return write(*args, **kwargs)
        finally:
            writing[0] += time.perf_counter() - began

    opened.write_document = timed_write
    report = ingest_paths([Path(folder)], opened, embedder, IngestOptions()).as_dict()
    seconds = time.perf_counter() - started
    if not texts:  # the pipeline embedded some other way: the stored chunk texts stand in
        texts = [text or "" for _, _, text in vector_store.iterate(opened.collection, include=("documents",))]
    Path(texts_out).write_text(json.dumps(texts))
    failed = [f"{Path(f['path']).name}: {f['detail']}" for f in report["files"] if f["status"] == "failed"]
    return {"seconds": seconds, "pages": report["pages"], "chunks": report["chunks_written"],
            "documents": report["counts"]["added"], "failed": failed, "encode_seconds": spent[0],
            "encoded": len(texts) if spent[0] else 0, "write_seconds": writing[0], "main_peak_mb": own_peak_mb()}


def child_embed(texts_file: str, sample: int) -> dict:
    from ingest.embedding import Embedder

    texts = json.loads(Path(texts_file).read_text())
    if 0 < sample < len(texts):  # evenly spread, so long and short chunks keep their shares
        texts = texts[::max(1, len(texts) // sample)][:sample]
    embedder = Embedder().warm_up()
    embedder.encode(texts[:32])  # first-call set-up out of the timing
    started = time.perf_counter()
    embedder.encode(texts)
    return {"seconds": time.perf_counter() - started, "chunks": len(texts), "main_peak_mb": own_peak_mb()}


def child_query(store: str, questions: list[str]) -> dict:
    from assistant.core.engine import Assistant
    from ingest.embedding import Embedder
    from ingest.store import Store

    embedder = Embedder().warm_up()
    opened = Store(Path(store), embedding_name=embedder.name)
    assistant = Assistant(opened, embedder)
    for question in questions[:WARM_UP]:
        assistant.search.search(question, K_PRODUCT)
        assistant.ask(question)
    retrieve, answer = [], []
    for question in questions:
        began = time.perf_counter()
        assistant.search.search(question, K_PRODUCT)
        retrieve.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        assistant.ask(question)
        answer.append((time.perf_counter() - began) * 1000)
    documents = opened.documents()
    return {"retrieve": retrieve, "answer": answer, "documents": len(documents),
            "chunks": sum(d.chunks for d in documents), "main_peak_mb": own_peak_mb()}


def child_naive(folder: str, work: str, questions: list[str]) -> dict:
    from evals import naive

    started = time.perf_counter()
    pages, failed = [], []
    for path in sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in naive.SUFFIXES and p.is_file()):
        try:
            pages += naive._loader(path).load()
        except Exception as exc:  # the tutorial setup would stop here; the benchmark counts and goes on
            failed.append(f"{path.name}: {type(exc).__name__}")
    chunks = naive.split(pages)
    index = naive.build_index(chunks, naive.huggingface_embeddings(), Path(work))
    seconds = time.perf_counter() - started
    for question in questions[:WARM_UP]:
        index.similarity_search(question, k=K_NAIVE)
    retrieve = []
    for question in questions:
        began = time.perf_counter()
        index.similarity_search(question, k=K_NAIVE)
        retrieve.append((time.perf_counter() - began) * 1000)
    return {"seconds": seconds, "pages": len(pages), "chunks": len(chunks), "failed": failed,
            "retrieve": retrieve, "main_peak_mb": own_peak_mb()}


def _extract_file(path: str) -> tuple[int, str]:
    """Bare pypdf: open, extract every page's text. (pages, error)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages:
            page.extract_text()
        return len(reader.pages), ""
    except Exception as exc:
        return 0, f"{Path(path).name}: {type(exc).__name__}"


def child_parse(folder: str, workers: int) -> dict:
    from concurrent.futures import ProcessPoolExecutor

    # Largest first, so the last file to finish is a small one and no core idles long.
    files = sorted((p for p in Path(folder).rglob("*.pdf") if p.is_file()), key=lambda p: -p.stat().st_size)
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_extract_file, map(str, files)))
    return {"seconds": time.perf_counter() - started, "pages": sum(n for n, _ in results),
            "failed": [e for _, e in results if e], "workers": workers, "main_peak_mb": own_peak_mb()}


def child_replicate(source: str, target: str, copies_from: int, copies_to: int) -> dict:
    """Copies `copies_from`..`copies_to - 1` of every document of the 1x store `source`, written
    into the store at `target` through its Chroma collection and keyword index, in the write
    protocol's order (Chroma first, then the register). Then times one more document written
    through Store.write_rows, the path ingestion takes, and removes it."""
    import numpy as np

    from ingest import vector_store
    from ingest.chunking import chunk_id
    from ingest.store import Store, keyword_rows, row_from_metadata

    base = Store(Path(source), embedding_name=_embedding_name())
    rows: dict[str, list] = {}
    offset = 0
    while True:  # every chunk with its vector, in pages
        got = base.collection.get(include=["embeddings", "documents", "metadatas"], limit=vector_store.PAGE,
                                  offset=offset)
        if not got["ids"]:
            break
        for i, vector, text, metadata in zip(got["ids"], got["embeddings"], got["documents"], got["metadatas"]):
            rows.setdefault(metadata["doc_id"], []).append((metadata.get("ordinal", 0), np.asarray(vector), text, metadata))
        offset += len(got["ids"])
    store = Store(Path(target), embedding_name=_embedding_name())
    random = np.random.default_rng(copies_from)
    started = time.perf_counter()

    def copy_of(doc_id: str, chunks: list, copy: int):
        new_id = hashlib.sha256(f"{doc_id}:copy{copy}".encode()).hexdigest()[:len(doc_id)]
        first = chunks[0][3]
        row = row_from_metadata({**first, "doc_id": new_id, "path": f"{first.get('path', '')}#copy{copy}",
                                 "title": f"{first.get('title', '')} (copy {copy})"})
        ids, vectors, texts, metadatas, sections = [], [], [], [], []
        for ordinal, vector, text, metadata in sorted(chunks, key=lambda c: c[0]):
            nudge = random.normal(size=vector.shape)
            moved = vector + NUDGE * nudge / np.linalg.norm(nudge)
            ids.append(chunk_id(new_id, int(ordinal)))
            vectors.append((moved / np.linalg.norm(moved)).astype(np.float32).tolist())
            texts.append(text or "")
            metadatas.append({**metadata, "doc_id": new_id, "path": row.path, "title": row.title})
            sections.append(metadata.get("section", ""))
        return row, ids, vectors, texts, metadatas, sections

    for copy in range(copies_from, copies_to):
        batch = [copy_of(doc_id, chunks, copy) for doc_id, chunks in rows.items()]
        # Chroma first, in pages of its batch size, for the whole copy at once (one add call a
        # document was 10x slower), then each document made visible in the register.
        vector_store.add(store.collection, [i for b in batch for i in b[1]], [v for b in batch for v in b[2]],
                         [t for b in batch for t in b[3]], [m for b in batch for m in b[4]])
        for row, ids, _, texts, metadatas, sections in batch:
            store.keywords.commit_document(row, keyword_rows(ids, texts, sections, metadatas), replaces=[])
    replicate_seconds = time.perf_counter() - started
    # One more document through the ingestion's own write path, timed, then removed.
    doc_id, chunks = next(iter(rows.items()))
    row, ids, vectors, texts, metadatas, sections = copy_of(doc_id, chunks, 10 ** 6)
    began = time.perf_counter()
    store.write_rows(row, ids, vectors, texts, metadatas, sections)
    write_ms = (time.perf_counter() - began) * 1000
    store.remove_document(row.doc_id)
    return {"seconds": replicate_seconds, "write_one_ms": write_ms, "write_one_chunks": len(ids),
            "main_peak_mb": own_peak_mb()}


def child_hits(store: str, cases: list[dict]) -> dict:
    """Paragraph-level hit@5 (a passage of a cited file whose paragraph is the gold one or one
    of its subparagraphs), as benchmarks/retrieval_quality.py counts it."""
    from assistant.core.retrieval import HybridSearch
    from evals.metrics import section_matches
    from ingest.embedding import Embedder
    from ingest.store import Store

    embedder = Embedder().warm_up()
    search = HybridSearch(Store(Path(store), embedding_name=embedder.name), embedder)
    hits = []
    for case in cases:
        passages = search.search(case["question"], K_HITS)
        hits.append(any(p.source == r["source"] and section_matches(r.get("section", ""), p.section)
                        for p in passages for r in case["reference_sources"]))
    return {"hits": sum(hits), "cases": len(hits), "main_peak_mb": own_peak_mb()}


def _embedding_name() -> str:
    from ingest.embedding import Embedder

    return Embedder().name


CHILDREN = {"ingest": child_ingest, "embed": child_embed, "query": child_query, "naive": child_naive,
            "parse": child_parse, "replicate": child_replicate, "hits": child_hits}


# --- the run -----------------------------------------------------------------------------------
class Results:
    """Rows of the final table, printed as they come so a long run shows progress."""

    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []
        self.data: dict = {}

    def add(self, what: str, value: str, target: str = "", verdict: bool | None = None) -> None:
        mark = "" if verdict is None else ("holds" if verdict else "MISSED")
        self.rows.append((what, value, target, mark))
        print(f"  {what}: {value}" + (f"  (target {target}: {mark})" if target else ""), flush=True)

    def table(self) -> str:
        widths = [max(len(r[i]) for r in self.rows + [("what", "value", "target", "")]) for i in range(4)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(("what", "value", "target", ""), widths)),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in self.rows]
        return "\n".join(lines)


def subset_folder(folder: Path, work: Path, count: int) -> Path:
    """A folder of copies of the first `count` files (for --quick): not links, which the ingest
    skips as files outside the folder given."""
    target = work / "subset"
    target.mkdir()
    for path in sorted(p for p in folder.iterdir() if p.is_file())[:count]:
        shutil.copy2(path, target / path.name)
    return target


def answering_folder(folder: Path, work: Path, cases: list[dict]) -> Path | None:
    """A folder of copies of the files the cases cite (links are skipped as outside the folder),
    or None when the folder holds none."""
    names = {r["source"] for c in cases for r in c["reference_sources"]}
    target = work / "answering"
    target.mkdir()
    found = [folder / name for name in sorted(names) if (folder / name).is_file()]
    for path in found:
        shutil.copy2(path, target / path.name)
    return target if found else None


def store_sizes(store: Path) -> tuple[float, float]:
    """(Chroma MB, keyword index MB) on disk."""
    keywords = sum(p.stat().st_size for p in store.glob("keywords-*") if p.is_file()) / 1e6
    return folder_mb(store / "chroma"), keywords


def run_distractors(folder: Path, work: Path, full_store: Path, cases: list[dict], results: Results) -> None:
    answerable = [c for c in cases if c.get("answerable", True) and c.get("reference_sources")]
    answering = answering_folder(folder, work, answerable) if answerable else None
    if answering is None:
        results.add("distractors", "skipped: the questions cite no file of this folder")
        return
    small = work / "answering-store"
    in_child("ingest", folder=str(answering), store=str(small), texts_out=str(work / "answering-texts.json"))
    alone = in_child("hits", store=str(small), cases=answerable)
    loaded = in_child("hits", store=str(full_store), cases=answerable)
    n_files = len(list(answering.iterdir()))
    before, after = alone["hits"] / alone["cases"], loaded["hits"] / loaded["cases"]
    results.data["distractors"] = {"answering_files": n_files, "alone": before, "all": after, "cases": alone["cases"]}
    results.add(f"paragraph hit@5, only the {n_files} answering files", f"{before:.3f} ({alone['cases']} cases)")
    results.add("paragraph hit@5, the whole folder loaded", f"{after:.3f}")
    results.add("drop with distractors", f"{before - after:+.3f}".replace("+", ""),
                f"<= {TARGETS['distractor_drop']}", before - after <= TARGETS["distractor_drop"])


def run_floors(product: dict, texts_file: Path, workers: int, embed_sample: int, folder: Path,
               results: Results) -> None:
    """The ingest beside its floors: the int8 embedder alone on the ingest's own chunk texts, and
    bare pypdf extraction with as many processes."""
    print("embedding alone (int8) on the same chunk texts", flush=True)
    alone = in_child("embed", texts_file=str(texts_file), sample=embed_sample)
    results.data["embed_alone"] = alone
    alone_rate = alone["chunks"] / alone["seconds"]
    inside_rate = product["encoded"] / product["encode_seconds"] if product["encode_seconds"] else float("nan")
    overall_rate = product["chunks"] / product["seconds"]
    results.add("embedding alone", f"{alone_rate:.1f} chunks/s ({alone['chunks']} chunks)")
    results.add("embedding inside ingest", f"{inside_rate:.1f} chunks/s")
    rest = product["seconds"] - product["encode_seconds"] - product["write_seconds"]
    results.add("where the ingest's time goes", f"{product['encode_seconds']:.0f} s embedding, "
                f"{product['write_seconds']:.0f} s writing the store, {rest:.0f} s the rest "
                f"(model load, PDF parsing, chunking) of {product['seconds']:.0f} s")
    results.add("embedding inside / alone", f"{inside_rate / alone_rate:.2f}", f">= {TARGETS['embed_ratio']}",
                inside_rate / alone_rate >= TARGETS["embed_ratio"])
    results.add("whole ingest chunks/s / embedding alone", f"{overall_rate / alone_rate:.2f} "
                "(1.0 would be an ingest bound by the model alone)")

    print("bare pypdf extraction (the parsing floor)", flush=True)
    parse = in_child("parse", folder=str(folder), workers=workers)
    results.data["parse"] = parse
    results.add(f"bare pypdf, {workers} processes", f"{parse['seconds']:.1f} s, "
                f"{parse['pages'] / parse['seconds']:.2f} pages/s ({parse['pages']} pages, {len(parse['failed'])} failed)")
    results.add("product ingest time / parsing floor", f"{product['seconds'] / parse['seconds']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=str(DEFAULT_FOLDER))
    parser.add_argument("--questions", help="a suite (JSONL) or one question a line; default "
                        "evals/suites/dsca.jsonl when present, else evals/suites/samm.jsonl")
    parser.add_argument("--quick", action="store_true", help="a small smoke run of every step")
    parser.add_argument("--scales", default="10,50", help="replication factors (comma separated; 0: none)")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-floors", action="store_true",
                        help="skip the embedding-alone and bare-pypdf steps")
    parser.add_argument("--keep", help="keep the 1x store and the ingest's figures in this folder, and "
                        "reuse them when it already holds them (the ingest is then not repeated)")
    parser.add_argument("--embed-sample", type=int, default=2000,
                        help="chunk texts embedded alone (evenly spread over the ingest's; 0: all)")
    parser.add_argument("--distractors", action="store_true",
                        help="also score paragraph hit@5 with only the answering files vs the whole folder")
    parser.add_argument("--distractors-only", action="store_true", help="ingest and score the distractor check only")
    parser.add_argument("--chart", default=str(ROOT / "benchmarks" / "results" / "library-growth.svg"),
                        help="where to write the log-log chart (.svg or .png)")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, params = args.child
        print(json.dumps(CHILDREN[kind](**json.loads(params))), flush=True)
        return

    folder = Path(args.folder)
    if not folder.is_dir():
        sys.exit(f"{folder}: no such folder")
    default_suite = ROOT / "evals" / "suites" / "dsca.jsonl"
    questions_file = Path(args.questions) if args.questions else (
        default_suite if default_suite.exists() else ROOT / "evals" / "suites" / "samm.jsonl")
    if not questions_file.is_file():
        sys.exit(f"{questions_file}: no such file")
    cases = load_questions(questions_file)
    scales = [int(s) for s in args.scales.split(",") if s.strip() and int(s) > 1]
    if args.quick:
        cases, scales = cases[:QUICK_QUESTIONS], [s for s in QUICK_SCALES]
    questions = [c["question"] for c in cases]
    results = Results()
    from ingest.embedding import Embedder
    from ingest.pipeline import IngestOptions

    Embedder().warm_up()  # the one-time ONNX export exists before any timing
    workers = IngestOptions().workers
    with tempfile.TemporaryDirectory(prefix="library-bench-") as tmp:
        work = Path(tmp)
        if args.quick:
            folder = subset_folder(folder, work, QUICK_FILES)
        n_files = len([p for p in folder.iterdir() if p.is_file()])
        print(f"{n_files} files in {folder}, {folder_mb(folder):.0f} MB; "
              f"{len(questions)} questions from {questions_file}; {os.cpu_count()} cores; scales {scales}", flush=True)
        kept = Path(args.keep).resolve() if args.keep else work
        store, texts_file, ingest_file = kept / "product", kept / "texts.json", kept / "ingest.json"
        if args.keep and ingest_file.is_file() and store.is_dir():
            product = json.loads(ingest_file.read_text())
            print(f"ingest (product): reusing {store}, ingested {product.get('finished', '?')} "
                  f"(its figures as that run measured them)", flush=True)
        else:
            kept.mkdir(parents=True, exist_ok=True)
            if store.exists():
                shutil.rmtree(store)  # a kept store without its figures is an ingest that did not finish
            print("ingest (product)", flush=True)
            product = in_child("ingest", folder=str(folder), store=str(store), texts_out=str(texts_file))
            product["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            ingest_file.write_text(json.dumps(product))
        results.data["product_ingest"] = product
        results.add("product ingest", f"{product['seconds']:.1f} s, {product['pages'] / product['seconds']:.2f} pages/s, "
                    f"{product['documents']} documents, {product['pages']} pages, {product['chunks']} chunks, "
                    f"{len(product['failed'])} failed")
        for line in product["failed"]:
            print(f"    failed {line}")
        if args.distractors_only:
            run_distractors(folder, work, store, cases, results)
            print("\n" + results.table())
            return
        results.add("product ingest peak memory (process tree)", f"{product['tree_peak_mb']:.0f} MB "
                    f"(main process {product['main_peak_mb']:.0f} MB)", f"<= {TARGETS['ingest_peak_mb']:.0f} MB",
                    max(product["tree_peak_mb"], product["main_peak_mb"]) <= TARGETS["ingest_peak_mb"])

        print("questions over the library (product)", flush=True)
        query = in_child("query", store=str(store), questions=questions)
        results.data["query_1x"] = query
        r_p50, r_p95, a_p50, a_p95 = (pct(query["retrieve"], 50), pct(query["retrieve"], 95),
                                      pct(query["answer"], 50), pct(query["answer"], 95))
        results.add("product retrieval (k=12)", f"p50 {r_p50:.1f} ms, p95 {r_p95:.1f} ms")
        results.add("product extractive answer", f"p50 {a_p50:.1f} ms, p95 {a_p95:.1f} ms",
                    f"p95 <= {TARGETS['answer_p95_ms']:.0f} ms", a_p95 <= TARGETS["answer_p95_ms"])
        chroma_mb, keywords_mb = store_sizes(store)
        growth = [{"scale": 1, "documents": query["documents"], "chunks": query["chunks"], "retrieve_p50": r_p50,
                   "retrieve_p95": r_p95, "answer_p50": a_p50, "answer_p95": a_p95,
                   "query_peak_mb": query["tree_peak_mb"], "chroma_mb": chroma_mb, "keywords_mb": keywords_mb,
                   "write_one_ms": None}]

        if args.distractors:
            print("retrieval with distractors", flush=True)
            run_distractors(folder, work, store, cases, results)

        if not args.skip_floors:
            run_floors(product, texts_file, workers, args.embed_sample, folder, results)

        if not args.skip_naive:
            print("ingest and questions (naive LangChain setup)", flush=True)
            naive = in_child("naive", folder=str(folder), work=str(work / "naive"), questions=questions)
            results.data["naive"] = naive
            n_rate, p_rate = naive["pages"] / naive["seconds"], product["pages"] / product["seconds"]
            results.add("naive ingest", f"{naive['seconds']:.1f} s, {n_rate:.2f} pages/s ({naive['pages']} pages, "
                        f"{naive['chunks']} chunks, {len(naive['failed'])} files it cannot load), "
                        f"peak {naive['tree_peak_mb']:.0f} MB")
            results.add("ingest pages/s, product / naive", f"{p_rate / n_rate:.2f}x", f">= {TARGETS['ingest_ratio']:.0f}x",
                        p_rate / n_rate >= TARGETS["ingest_ratio"])
            n_p50 = pct(naive["retrieve"], 50)
            results.add("naive similarity_search (k=5)", f"p50 {n_p50:.1f} ms, p95 {pct(naive['retrieve'], 95):.1f} ms")
            results.add("retrieval p50, product vs naive", f"{r_p50:.1f} vs {n_p50:.1f} ms", "<= naive", r_p50 <= n_p50)
            print("\n" + results.table(), flush=True)  # the ratios so far, before the long scale steps
            if args.json:
                Path(args.json).write_text(json.dumps(results.data, indent=1, default=str))

        previous = 1
        scaled = work / "scaled"
        shutil.copytree(store, scaled)
        for scale in scales:
            print(f"replicating to {scale}x", flush=True)
            made = in_child("replicate", source=str(store), target=str(scaled), copies_from=previous, copies_to=scale)
            previous = scale
            grown = in_child("query", store=str(scaled), questions=questions)
            chroma_mb, keywords_mb = store_sizes(scaled)
            growth.append({"scale": scale, "documents": grown["documents"], "chunks": grown["chunks"],
                           "retrieve_p50": pct(grown["retrieve"], 50), "retrieve_p95": pct(grown["retrieve"], 95),
                           "answer_p50": pct(grown["answer"], 50), "answer_p95": pct(grown["answer"], 95),
                           "query_peak_mb": grown["tree_peak_mb"], "chroma_mb": chroma_mb, "keywords_mb": keywords_mb,
                           "write_one_ms": made["write_one_ms"], "replicate_seconds": made["seconds"]})
            g = growth[-1]
            results.add(f"{scale}x: {g['chunks']} chunks", f"retrieval p50 {g['retrieve_p50']:.1f} / p95 "
                        f"{g['retrieve_p95']:.1f} ms, answer p50 {g['answer_p50']:.1f} / p95 {g['answer_p95']:.1f} ms, "
                        f"{g['query_peak_mb']:.0f} MB")
            print(growth_table(growth), flush=True)
            write_chart(Path(args.chart), growth)
        results.data["growth"] = growth

    print("\nHow cost grows (the library's chunks replicated; query process = open the store, answer the questions)")
    print(growth_table(growth))
    print(f"log-log chart: {write_chart(Path(args.chart), growth)}")
    print("\n" + results.table())
    if args.json:
        Path(args.json).write_text(json.dumps(results.data, indent=1, default=str))


def growth_table(growth: list[dict]) -> str:
    header = ("scale", "documents", "chunks", "retr p50", "retr p95", "ans p50", "ans p95", "query MB",
              "chroma MB", "keyword MB", "write 1 doc")
    lines = ["  ".join(f"{h:>10}" for h in header)]
    for g in growth:
        write = f"{g['write_one_ms']:.0f} ms" if g.get("write_one_ms") is not None else "-"
        cells = (f"{g['scale']}x", g["documents"], g["chunks"], f"{g['retrieve_p50']:.1f}", f"{g['retrieve_p95']:.1f}",
                 f"{g['answer_p50']:.1f}", f"{g['answer_p95']:.1f}", f"{g['query_peak_mb']:.0f}",
                 f"{g['chroma_mb']:.0f}", f"{g['keywords_mb']:.0f}", write)
        lines.append("  ".join(f"{c:>10}" for c in cells))
    return "\n".join(lines)


def write_chart(path: Path, growth: list[dict]) -> Path:
    from loglog_chart import save_chart

    def series(key: str) -> list[tuple[float, float]]:
        return [(g["chunks"], g[key]) for g in growth if g.get(key)]

    return save_chart(path, [
        {"title": "Latency by library size", "x_label": "chunks", "y_label": "ms",
         "series": {"retrieval p50": series("retrieve_p50"), "retrieval p95": series("retrieve_p95"),
                    "answer p50": series("answer_p50"), "answer p95": series("answer_p95"),
                    "write 1 document": series("write_one_ms")}},
        {"title": "Memory and disk by library size", "x_label": "chunks", "y_label": "MB",
         "series": {"query process peak": series("query_peak_mb"), "Chroma on disk": series("chroma_mb"),
                    "keyword index on disk": series("keywords_mb")}},
    ])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
