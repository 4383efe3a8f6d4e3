"""PDF page workers never hang a run: a worker that stops making progress or dies fails its
file with one line and the batch goes on; workers hold no store lock and die with the ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import page_hooks
from helpers import ROOT, make_pdf
from ingest.loaders import pdf_loader
from ingest.loaders.page_workers import PageWorkers, WorkerFailure

WORDS = ("radar", "engines", "hulls", "crews", "charts", "fuel", "spares", "docks", "signals", "medics")
PAGES = [f"The partner's maritime patrol training plan covers {word} this year." for word in WORDS]


def pdf_with_mark(path, mark: bytes):
    make_pdf(path, PAGES, title="Patrol plan")
    path.write_bytes(path.read_bytes() + b"\n%" + mark + b"\n")  # a comment after %%EOF: still a valid PDF
    return path


@pytest.mark.slow
def test_a_stuck_or_dying_worker_fails_its_file_in_one_line_and_the_run_finishes(tmp_path, store, embedder,
                                                                                   monkeypatch):
    from ingest.pipeline import IngestOptions, ingest_paths

    monkeypatch.setattr(pdf_loader, "extract_range", page_hooks.extract_or_misbehave)
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "a_good.pdf", PAGES, title="Good plan")
    pdf_with_mark(folder / "b_stuck.pdf", page_hooks.HANG_MARK)
    pdf_with_mark(folder / "c_dies.pdf", page_hooks.DIE_MARK)
    make_pdf(folder / "d_good.pdf", [p.replace("training plan", "sustainment program") for p in PAGES], title="Good program")
    started = time.monotonic()
    report = ingest_paths([folder], store, embedder, IngestOptions(workers=2, range_seconds=8))
    assert time.monotonic() - started < 120
    failed = {os.path.basename(o.path): o.detail for o in report.of("failed")}
    assert sorted(failed) == ["b_stuck.pdf", "c_dies.pdf"], report.summary()
    assert failed["b_stuck.pdf"].startswith("pages 1-4 took over 8 s")
    assert "died (signal 9)" in failed["c_dies.pdf"]
    assert all("\n" not in detail for detail in failed.values())
    assert report.counts()["added"] == 2
    assert {d.source for d in store.documents()} == {"a_good.pdf", "d_good.pdf"}


def test_a_worker_past_its_time_limit_is_replaced_and_the_next_task_runs():
    with PageWorkers(1) as workers:
        stuck = workers.submit(page_hooks.report_pid_and_sleep, "k1", b"sleep", seconds=1, label="pages 1-4")
        with pytest.raises(WorkerFailure, match="pages 1-4 took over 1 s"):
            stuck.result(timeout=30)
        first = workers.submit(page_hooks.report_pid_and_sleep, "k2", b"pid", seconds=10).result(timeout=30)
        assert first != os.getpid()


def test_workers_inherit_no_descriptor_of_the_store_lock(tmp_path, store):
    with store.writer_lock():
        with PageWorkers(1) as workers:
            targets = workers.submit(page_hooks.open_descriptors, "k", b"", seconds=30).result(timeout=60)
    assert targets and not [t for t in targets if t.endswith(store.lock_path.name)], targets


def test_workers_die_with_a_killed_parent(tmp_path):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]
        import page_hooks
        from ingest.loaders.page_workers import PageWorkers
        workers = PageWorkers(2)
        pids = [workers.submit(page_hooks.report_pid_and_sleep, str(n), b"pid", seconds=30).result() for n in range(2)]
        for n in range(2):
            workers.submit(page_hooks.report_pid_and_sleep, "s" + str(n), b"sleep", seconds=600)
        print(" ".join(map(str, pids)), flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) >= 1
    assert all(_alive(pid) for pid in pids)
    os.kill(parent.pid, signal.SIGKILL)  # the parent only, as the OOM killer or `kill -9 PID` does
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(pid)], "a page worker outlived its killed parent"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
