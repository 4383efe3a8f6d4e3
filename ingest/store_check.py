"""`planassist check`: does the store hold what its write protocol promises?

Two kinds of finding (see the protocol in ingest/store.py):
- problems readers can meet: a registered (visible) document whose chunks are not all in
  Chroma or not all in the keyword index, keyword rows of no registered document, a registry
  count that differs from Chroma's. These must never happen, killed run or not.
- leftovers of an interrupted write, invisible to readers: a partial version, a superseded
  version still in Chroma, a complete version not yet registered. reconcile() clears them
  (every writer runs it first; opening the store runs it when the counts differ).
`--repair` rebuilds the keyword index and registry from Chroma, which fixes both kinds.
Like every reader, the check first follows the collection's version stamp (Store.follow), so
a change another machine made to a shared collection is not reported as a problem here.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ingest import vector_store
from ingest.store import visible_versions

VISIBLE = ("missing_in_chroma", "missing_in_keywords", "keyword_orphans", "count_mismatch", "registry_orphans")
LEFTOVERS = ("partial", "superseded", "unregistered")


@dataclass
class CheckReport:
    documents: int = 0  # registered (visible) documents
    chunks_chroma: int = 0
    chunks_keywords: int = 0
    findings: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in VISIBLE + LEFTOVERS})
    seconds: float = 0.0
    repaired: bool = False

    @property
    def visible_problems(self) -> int:
        return sum(len(self.findings[k]) for k in VISIBLE)

    @property
    def leftovers(self) -> int:
        return sum(len(self.findings[k]) for k in LEFTOVERS)

    @property
    def ok(self) -> bool:
        return self.visible_problems == 0 and self.leftovers == 0

    def as_dict(self) -> dict:
        return {"ok": self.ok, "documents": self.documents, "chunks_chroma": self.chunks_chroma,
                "chunks_keywords": self.chunks_keywords, "visible_problems": self.visible_problems,
                "leftovers": self.leftovers, "findings": self.findings, "repaired": self.repaired,
                "seconds": round(self.seconds, 2)}

    def summary(self) -> str:
        head = (f"{self.documents} documents, {self.chunks_chroma} chunks in Chroma, "
                f"{self.chunks_keywords} in the keyword index: ")
        if self.ok:
            return head + "ok"
        lines = [head + f"{self.visible_problems} problems readers can meet, "
                        f"{self.leftovers} leftovers of interrupted writes"]
        explain = {
            "missing_in_chroma": "registered but chunks missing in Chroma",
            "missing_in_keywords": "registered but chunks missing in the keyword index",
            "keyword_orphans": "keyword rows of no registered document",
            "count_mismatch": "registry chunk count differs from Chroma",
            "registry_orphans": "registered but absent from Chroma",
            "partial": "partial version in Chroma (interrupted write)",
            "superseded": "older version still in Chroma",
            "unregistered": "complete in Chroma but not registered",
        }
        for kind, items in self.findings.items():
            for item in items:
                lines.append(f"  {explain[kind]}: {item}")
        if not self.repaired:
            lines.append("run `planassist check --repair` to rebuild the index from Chroma")
        return "\n".join(lines)


def check_store(store) -> CheckReport:
    """Compare Chroma (the truth), the registry and the keyword rows, without changing anything."""
    started = time.perf_counter()
    store.follow()
    report = CheckReport()
    chroma_ids: dict[str, set[str]] = defaultdict(set)
    first: dict[str, dict] = {}
    for chunk_id, metadata, _ in vector_store.iterate(store.collection):
        doc_id = metadata.get("doc_id", "")
        chroma_ids[doc_id].add(chunk_id)
        first.setdefault(doc_id, metadata)
    keyword_ids = store.keywords.chunk_ids_by_document()
    registry = {d.doc_id: d for d in store.keywords.documents()}
    report.documents = len(registry)
    report.chunks_chroma = sum(map(len, chroma_ids.values()))
    report.chunks_keywords = sum(map(len, keyword_ids.values()))
    found = report.findings

    for doc_id, row in registry.items():
        name = f"{row.source or row.path} ({doc_id[:12]})"
        in_chroma = chroma_ids.get(doc_id, set())
        if not in_chroma:
            found["registry_orphans"].append(name)
            continue
        if len(in_chroma) != row.chunks:
            found["count_mismatch"].append(f"{name}: registry {row.chunks}, Chroma {len(in_chroma)}")
        expected = int(first[doc_id].get("chunk_count", -1))
        if len(in_chroma) < expected:
            found["missing_in_chroma"].append(f"{name}: {expected - len(in_chroma)} of {expected}")
        missing = in_chroma - keyword_ids.get(doc_id, set())
        if missing:
            found["missing_in_keywords"].append(f"{name}: {len(missing)} of {len(in_chroma)}")
        extra = keyword_ids.get(doc_id, set()) - in_chroma
        if extra:
            found["keyword_orphans"].append(f"{name}: {len(extra)} rows")
    for doc_id, ids in keyword_ids.items():
        if doc_id not in registry:
            found["keyword_orphans"].append(f"{doc_id[:12]}: {len(ids)} rows")

    # What is in Chroma but not registered: partial, superseded or not yet registered.
    _, partial, superseded = visible_versions(first, {d: len(ids) for d, ids in chroma_ids.items()})
    for doc_id, metadata in first.items():
        if doc_id in registry:
            continue
        name = f"{metadata.get('source') or metadata.get('path', '')} ({doc_id[:12]})"
        if doc_id in partial:
            found["partial"].append(f"{name}: {len(chroma_ids[doc_id])} of {metadata.get('chunk_count')} chunks")
        elif doc_id in superseded:
            found["superseded"].append(name)
        else:
            found["unregistered"].append(name)
    report.seconds = time.perf_counter() - started
    return report


def repair_store(store, wait_seconds: float = 0) -> CheckReport:
    """Rebuild the registry and keyword index from Chroma (clearing partial and superseded
    versions there), under the writer lock, then check again."""
    with store.writer_lock(wait_seconds):
        store.rebuild_keywords()
    report = check_store(store)
    report.repaired = True
    return report
