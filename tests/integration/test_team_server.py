"""A team on one real `chroma run` (127.0.0.1): two --store folders stand for two machines,
each with its own keyword index and store id (issue 14 items 1 and 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import PLAN_TEXT, ROOT, planassist, write

pytestmark = [pytest.mark.server, pytest.mark.slow]


def machine(tmp_path, name: str, chroma_url: str, embedder):
    from ingest.store import Store

    return Store(tmp_path / name, embedding_name=embedder.name, chroma_url=chroma_url)


def plan(place: str, boats: int) -> str:
    """A one-document plan about `place`: every variant chunks into as many chunks."""
    return PLAN_TEXT.replace("Testland", place).replace("four patrol boats", f"{boats} patrol boats")


def test_prune_on_one_machine_removes_only_its_own_documents(tmp_path, chroma_server):
    folder_a, folder_b = tmp_path / "a-docs", tmp_path / "b-docs"
    write(folder_a / "north.txt", plan("Northland", 4))
    write(folder_a / "south.txt", plan("Southland", 5))
    b_file = write(folder_b / "east.txt", plan("Eastland", 6))
    env_a = {**os.environ, "PLANASSIST_STORE": str(tmp_path / "store-a")}
    env_b = {**os.environ, "PLANASSIST_STORE": str(tmp_path / "store-b")}
    assert planassist("--chroma-url", chroma_server, "ingest", str(folder_a), env=env_a).returncode == 0
    assert planassist("--chroma-url", chroma_server, "ingest", str(folder_b), env=env_b).returncode == 0

    # machine B prunes: A's files are not on B (moved away here), and A's documents stay
    folder_a.rename(tmp_path / "elsewhere")
    result = planassist("--chroma-url", chroma_server, "ingest", "--prune", str(folder_b), "--json", env=env_b)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["removed"] == 0
    b_file.unlink()
    result = planassist("--chroma-url", chroma_server, "ingest", "--prune", str(folder_b), "--json", env=env_b)
    assert [f["path"] for f in json.loads(result.stdout)["files"] if f["status"] == "removed"] == \
        [str(b_file.resolve())]
    # --prune without folders: still only B's own documents
    assert json.loads(planassist("--chroma-url", chroma_server, "ingest", "--prune", "--json",
                                 env=env_b).stdout)["counts"]["removed"] == 0
    for env in (env_a, env_b):  # both machines list A's two documents, and both stores check clean
        listed = planassist("--chroma-url", chroma_server, "docs", "--json", env=env)
        assert sorted(d["source"] for d in json.loads(listed.stdout)) == ["north.txt", "south.txt"]
        assert planassist("--chroma-url", chroma_server, "check", env=env).returncode == 0


def test_one_machine_sees_the_others_replacement_on_its_next_question(tmp_path, chroma_server, embedder):
    from assistant.core.retrieval import HybridSearch
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store_check import check_store

    a, b = machine(tmp_path, "store-a", chroma_server, embedder), machine(tmp_path, "store-b", chroma_server, embedder)
    folder = tmp_path / "a-docs"
    old = write(folder / "old.txt", plan("Northland", 4))
    ingest_paths([folder], a, embedder, IngestOptions())
    search_b = HybridSearch(b, embedder)
    assert [d.source for d in b.documents()] == ["old.txt"]
    assert search_b.search("How many patrol boats does Northland operate?", k=1)[0].metadata["source"] == "old.txt"

    # A removes one document and adds another of as many chunks
    old.unlink()
    write(folder / "new.txt", plan("Westland", 7))
    report = ingest_paths([folder], a, embedder, IngestOptions(prune=True))
    assert report.counts()["added"] == 1 and report.counts()["removed"] == 1
    assert a.keywords.chunk_count() == b.keywords.chunk_count()  # counts alone would call B current

    # B's next question sees A's change: the new document listed and answered from
    assert [d.source for d in b.documents()] == ["new.txt"]
    best = search_b.search("How many patrol boats does Westland operate?", k=1)[0]
    assert best.metadata["source"] == "new.txt" and "7 patrol boats" in best.text
    assert check_store(b).ok
    # and a relabelling on A reaches B's filters too
    doc_id = a.documents()[0].doc_id
    a.set_document_fields(doc_id, marking="CUI")
    assert b.documents()[0].marking == "CUI"


def test_a_reader_with_nothing_new_costs_one_small_get(tmp_path, chroma_server, embedder):
    a = machine(tmp_path, "store-a", chroma_server, embedder)
    b = machine(tmp_path, "store-b", chroma_server, embedder)
    calls = []
    real_get = b.collection.get
    b.collection.get = lambda *args, **kwargs: calls.append(kwargs) or real_get(*args, **kwargs)
    b.documents()
    b.documents()
    assert calls == []  # no scan of the documents' collection when the stamp has not moved
    assert a.stamp.read() == b.stamp.read()


def test_ingests_from_two_machines_take_turns(tmp_path, chroma_server, embedder):
    a = machine(tmp_path, "store-a", chroma_server, embedder)
    doc = write(tmp_path / "b-docs" / "east.txt", plan("Eastland", 6))
    env_b = {**os.environ, "PLANASSIST_STORE": str(tmp_path / "store-b")}
    with a.writer_lock():
        refused = planassist("--chroma-url", chroma_server, "ingest", str(doc), env=env_b)
        assert refused.returncode == 1
        assert refused.stderr.startswith("error: another ingest is writing to collection 'planassist' (")
        assert "store " + a.store_id[:8] in refused.stderr  # names the machine and store holding it
        waiting = subprocess.Popen([sys.executable, "-m", "assistant.frontends.cli", "--chroma-url", chroma_server,
                                    "ingest", "--wait", "120", str(doc)], env=env_b, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(8)  # B is up and waiting for the lease
        assert waiting.poll() is None
        assert not a.documents()  # B has written nothing while A holds the lease
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert out.startswith("added 1")
    assert [d.source for d in a.documents()] == ["east.txt"]


def test_a_dead_writers_lease_lapses(tmp_path, chroma_server, embedder):
    """A writer killed with SIGKILL stops renewing; its lease lapses after the TTL (3 s
    here) and the next writer goes ahead."""
    script = ("import sys, time\n"
              "import ingest.lease as lease\n"
              "lease.TTL_SECONDS = 3\n"
              "from ingest.store import Store\n"
              f"store = Store({str(tmp_path / 'store-a')!r}, embedding_name={embedder.name!r}, chroma_url={chroma_server!r})\n"
              "with store.writer_lock():\n"
              "    print('holding', flush=True)\n"
              "    time.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "holding"
        b = machine(tmp_path, "store-b", chroma_server, embedder)
        time.sleep(4)  # past the TTL: a live holder has renewed, so it still holds the lease
        from ingest.errors import UserError

        with pytest.raises(UserError, match="another ingest is writing to collection"):
            with b.writer_lock(0):
                pass
        os.kill(holder.pid, signal.SIGKILL)
        started = time.monotonic()
        with b.writer_lock(30):
            waited = time.monotonic() - started
        assert waited < 10
    finally:
        holder.kill()
        holder.wait()


def test_two_machines_same_path_different_files_do_not_replace_each_other(tmp_path, chroma_server, embedder):
    """/home/x/plan.txt on machine A and on machine B are two files."""
    from ingest.pipeline import IngestOptions, ingest_paths

    a, b = machine(tmp_path, "store-a", chroma_server, embedder), machine(tmp_path, "store-b", chroma_server, embedder)
    path = tmp_path / "shared-name" / "plan.txt"
    write(path, plan("Northland", 4))
    ingest_paths([path], a, embedder, IngestOptions())
    write(path, plan("Southland", 5))  # B's file at the same path
    assert ingest_paths([path], b, embedder, IngestOptions()).counts()["added"] == 1
    assert sorted(d.owner for d in a.documents()) == sorted([a.store_id, b.store_id])
