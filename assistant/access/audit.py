"""The audit log: one JSON line per answer in the store, so a planner can show later what
informed an answer (documents and chunks retrieved and cited, mode, refusal)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

_LOCK = threading.Lock()


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def record(self, answer, passages, user: str | None = None) -> None:
        entry = {
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "user": user,
            "question": answer.question,
            "standalone_question": answer.standalone_question,
            "mode": answer.mode,
            "refused": answer.refused,
            "retrieved": [{"doc_id": p.doc_id, "chunk_id": p.chunk_id, "source": p.source, "section": p.section}
                          for p in passages],
            "cited": [{"doc_id": c.doc_id, "chunk_id": c.chunk_id, "page": c.page, "section": c.section}
                      for c in answer.citations],
            "unsupported": len(answer.unsupported),
            "marking": answer.marking,
        }
        self._append(entry)

    def record_event(self, event: str, **fields) -> None:
        """A line for a change that is not an answer (a marking forced lower at ingest)."""
        self._append({"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "event": event,
                      **fields})

    def _append(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:  # one line per write, whole, even with several sessions answering at once
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
