"""The writer lease: one writer at a time on a collection that several machines share.

A local lock file cannot serialise two machines writing to one Chroma server, and Chroma has
no locks or transactions, so the lease is a record kept in Chroma itself, in a small
collection beside the documents (`<collection>__sync`, record `writer-lease`): who holds it,
a token unique to this holding, a version that every write of the record raises, and when it
expires. Acquiring is compare-and-set done by hand: read the record, write our token if the
lease is free, wait SETTLE_SECONDS, read it back, and hold it only if our token is still
there (a rival that wrote after us wins and we go back to waiting). While it writes, the
holder renews the record every TTL/3 from a thread, so a writer that dies (SIGKILL, power,
network) stops renewing and its lease lapses after TTL_SECONDS, by the record's wall-clock
expiry or, when clocks disagree, by a waiter seeing the version unchanged for TTL_SECONDS of
its own clock.

The race it still has: no read-modify-write in Chroma is atomic, so two writers whose
read-to-write gaps both outlast SETTLE_SECONDS (a process paused mid-acquire, or a holder
stalled past its TTL that renews after a newcomer took over) can both believe they hold the
lease. That is made safe, not impossible: the holder re-reads the lease before it makes each
document visible (Store.write_rows) and stops with LeaseLost when the token is no longer its
own; what it had put into Chroma is invisible to readers (not registered) and is cleared by
the next writer's reconcile(); and every change bumps the collection's version stamp, so
every reader rebuilds its view from Chroma's document set rather than from what a writer
believed.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass

from ingest.errors import UserError

TTL_SECONDS = 30.0  # a dead writer blocks others this long at most; renewed every TTL/3
SETTLE_SECONDS = 0.3  # between our write and the read-back: far above a read->write gap (~5 ms)
POLL_SECONDS = 0.5
LEASE_ID = "writer-lease"
PLACEHOLDER_VECTOR = [1.0]  # Chroma records need an embedding; these records are never searched


def sync_collection(client, collection_name: str):
    """The small collection holding the lease and the version stamp of `collection_name`."""
    return client.get_or_create_collection(f"{collection_name}__sync", embedding_function=None,
                                           metadata={"purpose": f"writer lease and version stamp of {collection_name}"})


class LeaseLost(UserError):
    pass


@dataclass(frozen=True)
class LeaseRecord:
    holder: str
    token: str
    version: int
    expires_at: float

    @property
    def free(self) -> bool:
        return not self.token or self.expires_at < time.time()


def holder_name(store_id: str) -> str:
    return f"{socket.gethostname()} pid {os.getpid()} store {store_id[:8]}"


class ChromaLease:
    def __init__(self, sync, collection_name: str, holder: str, ttl: float | None = None):
        self.sync = sync
        self.collection_name = collection_name
        self.holder = holder
        self.ttl = ttl or TTL_SECONDS
        self.token = ""
        self._version = 0
        self._lost: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    # --- the record --------------------------------------------------------------------
    def read(self) -> LeaseRecord | None:
        got = self.sync.get(ids=[LEASE_ID], include=["metadatas"])
        if not got["ids"]:
            return None
        m = got["metadatas"][0] or {}
        return LeaseRecord(m.get("holder", ""), m.get("token", ""), int(m.get("version", 0)),
                           float(m.get("expires_at", 0)))

    def _write(self, token: str, holder: str, version: int, expires_at: float) -> None:
        self.sync.upsert(ids=[LEASE_ID], embeddings=[PLACEHOLDER_VECTOR],
                         metadatas=[{"holder": holder, "token": token, "version": version,
                                     "expires_at": expires_at}])

    # --- holding -----------------------------------------------------------------------
    def acquire(self, wait_seconds: float = 0) -> None:
        deadline = time.monotonic() + wait_seconds
        token = uuid.uuid4().hex
        watched: tuple[int, float] | None = None  # (version, first seen) of a holder that may be dead
        while True:
            current = self.read()
            stalled = False
            if current is not None and not current.free:
                if watched is None or watched[0] != current.version:
                    watched = (current.version, time.monotonic())
                stalled = time.monotonic() - watched[1] >= self.ttl  # its clock may be ahead of ours
            if current is None or current.free or stalled:
                version = (current.version if current else 0) + 1
                self._write(token, self.holder, version, time.time() + self.ttl)
                time.sleep(SETTLE_SECONDS)
                back = self.read()
                if back is not None and back.token == token:
                    self.token, self._version, self._lost = token, back.version, None
                    self._start_renewing()
                    return
                current = back or current  # a rival's write landed after ours: it holds the lease
            if time.monotonic() >= deadline:
                who = current.holder if current else "another writer"
                raise UserError(f"another ingest is writing to collection '{self.collection_name}' ({who}); "
                                "wait for it to finish or pass --wait SECONDS")
            time.sleep(POLL_SECONDS)

    def assert_held(self) -> None:
        """Raise LeaseLost unless the record still carries our token (read from Chroma)."""
        current = self.read()
        if self._lost is None and (current is None or current.token != self.token):
            self._lost = current.holder if current else "nobody"
        if self._lost is not None:
            raise LeaseLost(f"this ingest lost the writer lease on collection '{self.collection_name}' to "
                            f"{self._lost} (stalled for over {self.ttl:.0f} s?); what it had not made visible "
                            "is cleared by the next ingest")

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        current = self.read()
        if current is not None and current.token == self.token:
            self._write("", "", current.version + 1, 0.0)
        self.token = ""

    def _start_renewing(self) -> None:
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop, name="lease-renewer", daemon=True)
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                current = self.read()
                if current is None or current.token != self.token:
                    self._lost = current.holder if current else "nobody"
                    return
                self._write(self.token, self.holder, current.version + 1, time.time() + self.ttl)
            except Exception:  # noqa: BLE001 -- a failed renewal is retried; the lease lapses if it keeps failing
                continue
