"""Kill test: `planassist ingest` killed with SIGKILL at random moments, again and again.

    .venv/bin/python benchmarks/kill_test.py [--rounds 8] [--docs 120] [--pdfs ../shared/realdocs/samm]
                                             [--phase-kills 3] [--seed 7] [--keep DIR]

Round 0 ingests a folder of generated documents to completion and a run with nothing to do
measures start-up; together they set the kill window. Each later round rewrites a random part of the files (new versions, so the run
replaces documents), starts `planassist ingest FOLDER` in its own process group and kills
the group with SIGKILL after a random delay within that window. After each kill it checks,
before anything repairs the store:
- every path registered before the run is still registered, at its previous version or its
  new one (never lost, never a third id);
- `check` finds no problem a reader could meet (every registered document whole in Chroma
  and in the keyword index, counts equal, no orphan rows);
then opens the store as the next command would (reconcile on open) and requires `check` to
be entirely clean. A last uninterrupted run must complete the work: every file registered at
its current version, `check` clean. It prints runs, kills, documents checked and errors.

With --pdfs and --phase-kills N, it then kills the ingest process alone (SIGKILL to its pid,
as the OOM killer or `kill -9 PID` does, not to its process group) N times while it parses
PDFs and N times while it embeds, as its progress lines show; after each kill no PDF worker
process may survive it (issue 14: orphans kept the store locked) and the next run must not be
refused; a last run must complete the work with `check` clean.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("partner maritime patrol radar training exercise logistics funding case objective "
         "assessment coast guard aviation engineers sustainment interoperability border cyber "
         "medical disaster response ministry staff courses officers brigade surveillance vessels "
         "program authority congress notification milestone indicator baseline survey budget").split()
PARAGRAPHS = 12  # about one chunk each


def document_text(number: int, version: int) -> str:
    rng = random.Random(number * 1000 + version)
    lines = [f"# Generated Plan {number:03d} (version {version})", ""]
    for p in range(1, PARAGRAPHS + 1):
        words = " ".join(rng.choice(WORDS) for _ in range(110))
        lines += [f"{p}. Paragraph {p} of plan {number} version {version}: {words}.", ""]
    return "\n".join(lines)


def planassist_command(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "assistant.frontends.cli", "--store", str(store), *args]


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def open_store(store_dir: Path, reconcile: bool):
    from ingest.embedding import Embedder
    from ingest.store import Store

    return Store(store_dir, embedding_name=Embedder().name, reconcile_on_open=reconcile)


def registered(store_dir: Path) -> dict[str, str]:
    return {d.path: d.doc_id for d in open_store(store_dir, reconcile=False).documents()}


def current_ids(folder: Path) -> dict[str, str]:
    from ingest.loaders import document_id
    from ingest.pipeline import walk

    files, _ = walk([folder])
    return {str(p.resolve()): document_id(p, {"doc_type": None, "marking": None}) for p in files}


def run(rounds: int = 8, docs: int = 120, pdfs: Path | None = None, seed: int = 7,
        work: Path | None = None, log=print) -> dict:
    from ingest.store_check import check_store

    rng = random.Random(seed)
    work = Path(work or tempfile.mkdtemp(prefix="kill-test-"))
    folder, store_dir = work / "docs", work / "store"
    folder.mkdir(parents=True, exist_ok=True)
    versions = {n: 1 for n in range(docs)}
    for n in versions:
        (folder / f"plan_{n:03d}.md").write_text(document_text(n, 1), encoding="utf-8")
    figures = {"runs": 0, "kills": 0, "documents_checked": 0, "leftovers_cleared": 0, "errors": 0,
               "kill_delays_s": []}
    errors: list[str] = []

    started = time.perf_counter()
    first = subprocess.run(planassist_command(store_dir, "ingest", str(folder)), env=environment(),
                           capture_output=True, text=True)
    window = time.perf_counter() - started
    figures["runs"] += 1
    if first.returncode != 0:
        raise SystemExit(f"the first ingest failed: {first.stdout}{first.stderr}")
    log(f"round 0: full ingest of {docs} documents in {window:.1f} s ({first.stdout.strip().splitlines()[0]})")
    started = time.perf_counter()
    subprocess.run(planassist_command(store_dir, "ingest", str(folder)), env=environment(), capture_output=True)
    startup = time.perf_counter() - started  # a run with nothing to do: start, lock, reconcile, hash
    figures["runs"] += 1
    per_document = max(0.05, (window - startup) / docs)
    log(f"a run with nothing to do takes {startup:.1f} s; about {per_document:.2f} s per changed document")
    if pdfs:
        shutil.copytree(pdfs, folder / "pdfs")  # from round 1 on, kills also land in PDF parsing

    stretch = 1.0  # widens the window when kills land before any write (PDF parsing comes first)
    for round_no in range(1, rounds + 1):
        changed = rng.sample(sorted(versions), k=max(1, int(docs * rng.uniform(0.3, 0.9))))
        for n in changed:
            versions[n] += 1
            (folder / f"plan_{n:03d}.md").write_text(document_text(n, versions[n]), encoding="utf-8")
        before = registered(store_dir)
        now = current_ids(folder)
        # anywhere from the end of start-up to near the end of the writing
        delay = rng.uniform(0.6 * startup, (startup + 0.95 * per_document * len(changed)) * stretch)
        process = subprocess.Popen(planassist_command(store_dir, "ingest", str(folder)), env=environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.killpg(process.pid, signal.SIGKILL)  # the ingest and its PDF worker processes
        process.wait()
        figures["runs"] += 1
        figures["kills"] += killed
        figures["kill_delays_s"].append(round(delay, 1))

        after = registered(store_dir)
        round_errors = []
        for path, old_id in before.items():
            if path not in after:
                round_errors.append(f"{path} lost (was {old_id[:12]})")
            elif after[path] not in (old_id, now.get(path)):
                round_errors.append(f"{path} at an unknown version {after[path][:12]}")
        for path, doc_id in after.items():
            if path not in before and doc_id != now.get(path):
                round_errors.append(f"{path} new but not at its current version")
        raw = check_store(open_store(store_dir, reconcile=False))
        if raw.visible_problems:
            round_errors.append(f"after the kill, readers could meet: {raw.findings}")
        reopened = check_store(open_store(store_dir, reconcile=True))
        if not reopened.ok:
            round_errors.append(f"not clean after reconcile on open: {reopened.findings}")
        replaced = sum(1 for p, d in after.items() if before.get(p) not in (None, d))
        stretch = stretch * 1.5 if killed and not replaced else (stretch * 0.8 if not killed else stretch)
        figures["documents_checked"] += len(after)
        figures["leftovers_cleared"] += raw.leftovers
        errors += [f"round {round_no}: {e}" for e in round_errors]
        log(f"round {round_no}: {'killed' if killed else 'finished'} after {delay:.1f} s; "
            f"{len(after)} documents registered, {replaced} replaced by this run "
            f"({len(changed)} files rewritten before it), "
            f"{raw.leftovers} leftovers of the interrupted write, errors {len(round_errors)}")

    final = subprocess.run(planassist_command(store_dir, "ingest", str(folder)), env=environment(),
                           capture_output=True, text=True)
    figures["runs"] += 1
    after, now = registered(store_dir), current_ids(folder)
    final_check = check_store(open_store(store_dir, reconcile=False))
    if final.returncode != 0:
        errors.append(f"final run failed: {final.stdout}{final.stderr}")
    if after != now:
        errors.append(f"final run left {sum(1 for p in now if after.get(p) != now[p])} files not at their current version")
    if not final_check.ok:
        errors.append(f"final check: {final_check.findings}")
    figures["documents_checked"] += len(after)
    log(f"final run: {final.stdout.strip().splitlines()[0] if final.stdout.strip() else final.stderr.strip()}; "
        f"check: {final_check.summary().splitlines()[0]}")
    figures["errors"] = len(errors)
    figures["error_list"] = errors
    figures["documents"] = len(now)
    figures["chunks"] = final_check.chunks_chroma
    return figures


def descendants(pid: int) -> set[int]:
    """The processes below `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def phase_kills(pdfs: Path, phases=("parse", "embed"), kills: int = 3, work: Path | None = None,
                log=print) -> dict:
    """Kill the ingest process alone during each phase `kills` times (see the module doc)."""
    from ingest.store_check import check_store

    work = Path(work or tempfile.mkdtemp(prefix="phase-kill-"))
    folder, store_dir = work / "pdfs", work / "store"
    shutil.copytree(pdfs, folder)
    env = {**environment(), "PLANASSIST_PROGRESS_SECONDS": "0.2"}
    figures = {"runs": 0, "kills": 0, "orphans": 0, "errors": 0, "kills_by_phase": {p: 0 for p in phases}}
    errors: list[str] = []
    for phase in phases:
        for attempt in range(kills):
            process = subprocess.Popen(planassist_command(store_dir, "ingest", str(folder)), env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            figures["runs"] += 1
            output = []
            for line in process.stderr:
                output.append(line)
                if line.startswith("ingest: ") and f", {phase} " in line:
                    break
            if process.poll() is not None or not output or f", {phase} " not in output[-1]:
                process.wait()
                rest = "".join(output) + process.stderr.read()
                if "another ingest is writing" in rest:
                    errors.append(f"{phase} kill {attempt + 1}: refused, the store is still held: {rest.strip()[-200:]}")
                log(f"{phase} kill {attempt + 1}: the run ended before reaching {phase} (exit {process.returncode})")
                continue
            below = descendants(process.pid)
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            process.stderr.close()
            figures["kills"] += 1
            figures["kills_by_phase"][phase] += 1
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(alive(pid) for pid in below):
                time.sleep(0.1)
            survivors = [pid for pid in below if alive(pid)]
            if survivors:
                figures["orphans"] += len(survivors)
                errors.append(f"{phase} kill {attempt + 1}: {len(survivors)} processes outlived the ingest")
                for pid in survivors:  # ours: started by the run this test killed
                    os.kill(pid, signal.SIGKILL)
            reopened = check_store(open_store(store_dir, reconcile=True))
            if not reopened.ok:
                errors.append(f"{phase} kill {attempt + 1}: not clean after reconcile: {reopened.findings}")
            log(f"{phase} kill {attempt + 1}: killed with {len(below)} worker processes, "
                f"{len(survivors)} survived; {len(registered(store_dir))} documents registered")
    final = subprocess.run(planassist_command(store_dir, "ingest", str(folder)), env=env, capture_output=True,
                           text=True)
    figures["runs"] += 1
    checked = subprocess.run(planassist_command(store_dir, "check"), env=env, capture_output=True, text=True)
    after, now = registered(store_dir), current_ids(folder)
    if final.returncode != 0:
        errors.append(f"final run failed: {final.stdout}{final.stderr[-500:]}")
    if checked.returncode != 0:
        errors.append(f"check after the final run: {checked.stdout}{checked.stderr}")
    if after != now:
        errors.append(f"final run left {sum(1 for p in now if after.get(p) != now[p])} files not at their current version")
    log(f"final run: {final.stdout.strip().splitlines()[0] if final.stdout.strip() else final.stderr.strip()[-200:]}")
    figures["documents"] = len(after)
    figures["errors"] = len(errors)
    figures["error_list"] = errors
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--pdfs", type=Path, default=None, help="A folder of PDFs added from round 1 on.")
    parser.add_argument("--phase-kills", type=int, default=0,
                        help="With --pdfs: then kill the ingest alone this many times while parsing and while embedding.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kill-test-"))
    phased = None
    try:
        figures = run(args.rounds, args.docs, args.pdfs, args.seed, work)
        if args.pdfs and args.phase_kills:
            phased = phase_kills(args.pdfs, kills=args.phase_kills, work=work / "phases")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if phased:
        for error in phased.pop("error_list"):
            print("ERROR (phase kills)", error)
        print(f"phase kills: runs {phased['runs']}, kills {phased['kills']} {phased['kills_by_phase']}, "
              f"orphan workers {phased['orphans']}, documents {phased['documents']}, errors: {phased['errors']}")
    for error in figures.pop("error_list"):
        print("ERROR", error)
    print(f"runs {figures['runs']}, kills {figures['kills']}, documents {figures['documents']} "
          f"({figures['chunks']} chunks), documents checked {figures['documents_checked']}, "
          f"leftovers cleared {figures['leftovers_cleared']}, errors: {figures['errors']}")
    print(f"kill delays (s): {figures['kill_delays_s']}")
    sys.exit(1 if figures["errors"] or (phased and phased["errors"]) else 0)


if __name__ == "__main__":
    main()
