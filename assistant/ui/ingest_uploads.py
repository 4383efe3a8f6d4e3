"""Uploaded files into the store: saved under <store>/uploads with safe names, ingested by
the same pipeline as `planassist ingest`, and each file that fails taken back out so the
folder mirrors the store. Returns one line per file for the page to show."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ingest.errors import UserError
from ingest.pipeline import IngestOptions, ingest_paths
from ingest.records import IngestProgress
from assistant.ui.uploads import save_upload, upload_dir


def progress_text(event: IngestProgress) -> str:
    """The upload progress line: which file, which stage, how many pages and chunks."""
    stage = {"parse": "Reading", "embed": "Embedding", "write": "Stored"}.get(event.stage, event.stage)
    return (f"{stage} {event.file} (file {min(event.files_done + 1, event.files_total)} of {event.files_total}) · "
            f"page {event.pages_done} of {event.pages_total} · {event.chunks} chunks embedded")


@dataclass
class FileResult:
    name: str
    ok: bool
    message: str


def ingest_uploads(files: list[tuple[str, bytes]], store, embedder, doc_type: str | None = None,
                   marking: str | None = None,
                   progress: Callable[[IngestProgress], None] | None = None) -> list[FileResult]:
    results: list[FileResult] = []
    saved = {}
    folder = upload_dir(store.store_dir)
    for name, content in files:
        try:
            upload = save_upload(folder, name, content)
        except (UserError, OSError) as exc:
            results.append(FileResult(name, False, f"not saved: {exc}"))
            continue
        saved[str(upload.path)] = upload
    if not saved:
        return results
    # PDF pages are parsed in worker processes started from a forkserver (never forked from
    # the app's multi-threaded server process, which would be unsafe), within time limits.
    options = IngestOptions(doc_type=doc_type, marking=marking, wait_seconds=60)
    try:
        report = ingest_paths([Path(p) for p in saved], store, embedder, options, progress=progress)
    except BaseException:
        # interrupted: documents already written keep their files; the rest are taken out
        kept = {d.path for d in store.documents()}
        for path, upload in saved.items():
            if path not in kept:
                upload.undo()
        raise
    for outcome in report.outcomes:
        upload = saved.pop(outcome.path, None)
        name = upload.original_name if upload else Path(outcome.path).name
        if outcome.status in ("added", "replaced"):
            results.append(FileResult(name, True, f"{outcome.status}: {outcome.pages} pages, {outcome.chunks} chunks"))
        elif outcome.status == "unchanged":
            results.append(FileResult(name, True, "already in the store" + (f" ({outcome.detail})" if outcome.detail else "")))
        else:
            if upload:
                upload.undo()
            results.append(FileResult(name, False, f"{outcome.status}: {outcome.detail}"))
    for upload in saved.values():  # metadata sidecars are read with the file they describe
        results.append(FileResult(upload.original_name, True, "metadata file, read with its document"))
    return results
