"""Whole `planassist ingest` runs: real folders several times in a row without a hang, and a
run stopped with Ctrl-C that the next run continues."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from helpers import ROOT

DSCA = ROOT.parent / "shared" / "realdocs" / "dsca"
RUN_SECONDS = 240  # a run that takes longer than this is taken for a hang


def command(store, *args):
    return [sys.executable, "-m", "assistant.frontends.cli", "--store", str(store), "ingest", *args]


def dsca_sample(count: int = 60) -> list:
    """The three largest files, every file pypdf cannot open (the odd ones), and the smallest
    files up to `count`: the shapes that hung or failed, within a test's time."""
    from ingest.loaders.pdf_loader import _open

    files = sorted(DSCA.glob("*.pdf"), key=lambda p: p.stat().st_size)
    chosen = files[-3:]
    for path in files:
        try:
            _open(path.read_bytes()).pages[0]
        except Exception:  # noqa: BLE001
            chosen.append(path)
    for path in files:
        if len(set(chosen)) >= count:
            break
        chosen.append(path)
    return sorted(set(chosen))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_real_folder_ingests_three_times_in_a_row_without_a_hang(tmp_path):
    if not DSCA.exists():
        pytest.skip("the real dsca documents are not beside the repository")
    folder = tmp_path / "dsca"
    folder.mkdir()
    for path in dsca_sample():
        shutil.copy(path, folder / path.name)
    outcomes = []
    for run in range(3):
        try:
            result = subprocess.run(command(tmp_path / f"store{run}", str(folder), "--json"), capture_output=True,
                                    text=True, timeout=RUN_SECONDS, env=os.environ.copy())
        except subprocess.TimeoutExpired:
            pytest.fail(f"run {run + 1} did not finish in {RUN_SECONDS} s: a hang")
        report = json.loads(result.stdout)
        assert report["counts"]["added"] >= 55, result.stdout[-2000:]
        outcomes.append({f["path"]: (f["status"], f["chunks"]) for f in report["files"]})
        assert "Traceback" not in result.stderr
    assert outcomes[0] == outcomes[1] == outcomes[2]  # the same work every time


@pytest.mark.slow
def test_a_run_stopped_with_ctrl_c_continues_where_it_stopped(tmp_path):
    from test_kill_and_lock import load_kill_test

    kill_test = load_kill_test()
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(30):
        (folder / f"plan_{n:03d}.md").write_text(kill_test.document_text(n, 1), encoding="utf-8")
    store = tmp_path / "store"
    env = {**os.environ, "PLANASSIST_PROGRESS_SECONDS": "0.1"}
    # Ctrl-C as at a terminal: a shell starts background jobs (and so this test, under `&`) with
    # SIGINT ignored, which the child would inherit
    process = subprocess.Popen(command(store, str(folder)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in process.stderr:  # plain progress lines: stderr is not a terminal
        if line.startswith("ingest: files ") and int(line.split("files ")[1].split("/")[0]) >= 3:
            process.send_signal(signal.SIGINT)
            break
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130, rest
    stopped = [l for l in rest.splitlines() if l.startswith("stopped: ")]
    assert stopped and "run the same command again to continue" in stopped[0] and "Traceback" not in rest
    written = int(stopped[0].split("stopped: ")[1].split()[0])
    assert 3 <= written < 30

    again = subprocess.run(command(store, str(folder), "--json"), capture_output=True, text=True, env=env)
    counts = json.loads(again.stdout)["counts"]
    assert counts["unchanged"] >= written and counts["unchanged"] + counts["added"] == 30, again.stdout
    assert counts["added"] >= 1 and counts["failed"] == 0
    checked = subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "--store", str(store), "check"],
                             capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout
