"""The collection's version stamp: a record in Chroma (`<collection>__sync`, `version-stamp`)
that every writer replaces after each change to the document set (a document added,
replaced or removed, its type or marking changed, leftovers cleared).

A reader compares it with the stamp its keyword index last followed, one small get per
look, and rebuilds its index from Chroma's document set only when it differs. The stamp is
a random token, not a counter, so two writers that race on it (see ingest/lease.py) still
leave a value no reader has followed yet."""

from __future__ import annotations

import uuid

from ingest.lease import PLACEHOLDER_VECTOR

STAMP_ID = "version-stamp"


class VersionStamp:
    def __init__(self, sync):
        self.sync = sync

    def read(self) -> str:
        """The current stamp; "" when no writer has stamped the collection yet."""
        got = self.sync.get(ids=[STAMP_ID], include=["metadatas"])
        return str((got["metadatas"][0] or {}).get("stamp", "")) if got["ids"] else ""

    def bump(self) -> tuple[str, str]:
        """Replace the stamp; returns (the stamp it replaced, the new one)."""
        previous = self.read()
        new = uuid.uuid4().hex
        self.sync.upsert(ids=[STAMP_ID], embeddings=[PLACEHOLDER_VECTOR], metadatas=[{"stamp": new}])
        return previous, new
