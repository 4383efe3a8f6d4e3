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
from assistant.frontends.ui.uploads import safe_file_name, save_upload, upload_dir


def safe_name(name: str) -> str:
    try:
        return safe_file_name(name)
    except UserError:
        return ""


def _hidden_paths(store, owner) -> set[str]:
    from ingest.reader import reader_of

    reader = reader_of(store)
    visible = {d.doc_id for d in reader.visible_to(owner).documents()}
    return {d.path for d in reader.documents() if d.doc_id not in visible}


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


SIDECAR = ".meta.yaml"


def ingest_uploads(files: list[tuple[str, bytes]], store, embedder, doc_type: str | None = None,
                   marking: str | None = None, progress: Callable[[IngestProgress], None] | None = None,
                   owner=None) -> list[FileResult]:
    """`owner`: the uploader's profile (None: the single-user default). Files go to the
    owner's own upload folder; a file whose document there the owner may no longer see is
    refused; a sidecar applies only to a file of the same upload."""
    results: list[FileResult] = []
    saved = {}
    folder = upload_dir(store.store_dir, owner.name if owner else None)
    names = {safe_name(n) for n, _ in files}
    hidden_paths = _hidden_paths(store, owner)
    for name, content in files:
        clean = safe_name(name)
        if clean.endswith(SIDECAR) and clean[:-len(SIDECAR)] not in names:
            results.append(FileResult(name, False, "not used: a metadata file applies only to a document "
                                                   "uploaded with it"))
            continue
        if str((folder / clean).resolve()) in hidden_paths:  # the owner's own earlier upload, since marked higher
            results.append(FileResult(name, False, "not saved: your earlier upload of this name is now "
                                                   "marked above your access"))
            continue
        if not clean.endswith(SIDECAR) and clean + SIDECAR not in names:
            (folder / (clean + SIDECAR)).unlink(missing_ok=True)  # an old sidecar does not carry over
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
