"""The writer lease kept in Chroma (ingest/lease.py), on a real embedded Chroma in a temp
folder; the same code runs against a server in tests/integration/test_team_server.py."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def sync(tmp_path):
    import chromadb
    from chromadb.config import Settings

    from ingest.lease import sync_collection

    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False))
    return sync_collection(client, "planassist")


def lease(sync, holder, ttl=30.0):
    from ingest.lease import ChromaLease

    return ChromaLease(sync, "planassist", holder, ttl=ttl)


def test_one_holder_at_a_time_and_release_frees_it(sync):
    from ingest.errors import UserError

    first, second = lease(sync, "machine-a pid 1"), lease(sync, "machine-b pid 2")
    first.acquire()
    with pytest.raises(UserError, match=r"another ingest is writing to collection 'planassist' \(machine-a pid 1\)"):
        second.acquire(wait_seconds=1)
    first.release()
    second.acquire()
    assert second.read().holder == "machine-b pid 2"
    second.release()
    assert second.read().free


def test_a_holder_that_was_overtaken_stops_before_making_anything_visible(sync):
    from ingest.lease import LeaseLost

    first = lease(sync, "machine-a pid 1")
    first.acquire()
    first.assert_held()
    # a newcomer took over while the first holder was stalled (the race Chroma cannot exclude)
    lease(sync, "machine-b pid 2")._write("rival-token", "machine-b pid 2", 99, time.time() + 30)
    with pytest.raises(LeaseLost, match="lost the writer lease .* to machine-b pid 2"):
        first.assert_held()
    first.release()  # leaves the rival's record alone
    assert sync.get(ids=["writer-lease"])["metadatas"][0]["token"] == "rival-token"


def test_a_lease_that_stops_being_renewed_lapses_even_when_the_holders_clock_is_ahead(sync):
    # a dead holder whose clock ran an hour ahead: its expiry is still in the future here
    lease(sync, "machine-a pid 1")._write("dead-token", "machine-a pid 1", 7, time.time() + 3600)
    waiter = lease(sync, "machine-b pid 2", ttl=1.0)
    started = time.monotonic()
    waiter.acquire(wait_seconds=10)  # the version did not move for a TTL of the waiter's own clock
    assert 1.0 <= time.monotonic() - started < 5
    waiter.release()


def test_the_holder_renews_while_it_writes(sync):
    holder = lease(sync, "machine-a pid 1", ttl=0.9)
    holder.acquire()
    version = holder.read().version
    time.sleep(1.0)
    assert holder.read().version > version and not holder.read().free
    holder.assert_held()
    holder.release()
