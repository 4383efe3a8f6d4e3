"""Server mode against a real `chroma run` on 127.0.0.1, started by the test."""

import json
import os

import pytest

from helpers import PLAN_TEXT, free_port, planassist, write


@pytest.mark.server
def test_ingest_list_and_remove_against_a_chroma_server(tmp_path, chroma_server):
    doc = write(tmp_path / "plan.txt", PLAN_TEXT)
    result = planassist("--chroma-url", chroma_server, "ingest", str(doc))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 1")
    assert planassist("--chroma-url", chroma_server, "ingest", str(doc)).stdout.startswith("added 0, replaced 0")
    import chromadb

    port = int(chroma_server.rsplit(":", 1)[1])
    collection = chromadb.HttpClient(host="127.0.0.1", port=port).get_collection("planassist")
    assert collection.count() > 0  # the chunks live on the server
    assert not (tmp_path / "store" / "chroma").exists()  # not in an embedded store
    # a new machine with an empty local index sees the server's documents (derived index rebuilt)
    other = {**os.environ, "PLANASSIST_STORE": str(tmp_path / "other-store")}
    listed = planassist("--chroma-url", chroma_server, "docs", "--json", env=other)
    assert [d["source"] for d in json.loads(listed.stdout)] == ["plan.txt"]
    removed = planassist("--chroma-url", chroma_server, "docs", "remove", "plan.txt")
    assert removed.returncode == 0 and collection.count() == 0


def test_unreachable_server_is_one_clear_line(tmp_path):
    result = planassist("--chroma-url", f"http://127.0.0.1:{free_port()}", "docs")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach the Chroma server at http://127.0.0.1:")
    assert "Traceback" not in result.stderr
