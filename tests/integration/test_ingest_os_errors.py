"""Per-file OS errors are one failure line each and the batch goes on: a name too long for a
sidecar, a file that cannot be read, a file that vanishes mid-run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import write
from ingest import pipeline
from ingest.pipeline import IngestOptions, ingest_paths

TEXT = "# {title}\n\n1. The {title} covers maritime patrol training with the partner navy.\n"

pytestmark = pytest.mark.slow  # the real embedding model


def test_a_name_too_long_for_its_sidecar_is_ingested_and_the_batch_goes_on(tmp_path, store, embedder):
    # 248 characters: "<name>.meta.yaml" is over the file system's 255-byte limit, which used to
    # raise ENAMETOOLONG out of the sidecar check and abort the whole batch
    long_name = "p" * 245 + ".md"
    assert len(long_name) == 248
    write(tmp_path / "docs" / long_name, TEXT.format(title="long plan"))
    write(tmp_path / "docs" / "short.md", TEXT.format(title="short plan"))
    report = ingest_paths([tmp_path / "docs"], store, embedder, IngestOptions(workers=0))
    assert report.counts()["added"] == 2, report.summary()


def test_an_unreadable_file_is_one_failure_line(tmp_path, store, embedder, monkeypatch):
    locked = write(tmp_path / "docs" / "locked.md", TEXT.format(title="locked plan"))
    write(tmp_path / "docs" / "open.md", TEXT.format(title="open plan"))
    if os.geteuid() != 0:
        locked.chmod(0)
    else:  # root reads any file: make this one refuse as it would refuse anyone else
        real_read = Path.read_bytes

        def read_bytes(path):
            if path.name == "locked.md":
                raise PermissionError(13, "Permission denied", str(path))
            return real_read(path)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest_paths([tmp_path / "docs"], store, embedder, IngestOptions(workers=0))
    assert [(Path(o.path).name, o.detail) for o in report.of("failed")] == [
        ("locked.md", "cannot be read (Permission denied)")]
    assert report.counts()["added"] == 1
    assert "failed " + str(locked) + ": cannot be read (Permission denied)" in report.summary().splitlines()


def test_a_file_that_vanishes_mid_run_is_one_failure_line(tmp_path, store, embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "WAVE_FILES", 1)  # each file parsed after the one before is written
    for name in ("a.md", "b.md", "c.md"):
        write(tmp_path / "docs" / name, TEXT.format(title=f"plan {name[0]}"))

    def progress(event):
        if event.stage == "write" and event.file == "a.md":
            (tmp_path / "docs" / "b.md").unlink()

    report = ingest_paths([tmp_path / "docs"], store, embedder, IngestOptions(workers=0), progress=progress)
    assert [(Path(o.path).name, o.detail) for o in report.of("failed")] == [
        ("b.md", "cannot be read (No such file or directory)")]
    assert sorted(Path(o.path).name for o in report.of("added")) == ["a.md", "c.md"]


def test_progress_events_cover_parse_embed_and_write(tmp_path, store, embedder):
    from helpers import make_pdf

    folder = tmp_path / "docs"
    write(folder / "a.md", TEXT.format(title="plan a"))
    make_pdf(folder / "b.pdf", [f"The {w} page of the patrol plan, on radar training." for w in
                                ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")])
    events = []
    report = ingest_paths([folder], store, embedder, IngestOptions(workers=2), progress=events.append)
    assert report.counts()["added"] == 2
    assert {e.stage for e in events} == {"parse", "embed", "write"}
    last = events[-1]
    assert (last.stage, last.files_done, last.files_total) == ("write", 2, 2)
    assert last.pages_done == last.pages_total == 10  # the PDF's 9 pages counted before parsing, + 1
    assert last.chunks == sum(o.chunks for o in report.of("added"))
    assert [e.files_done for e in events] == sorted(e.files_done for e in events)
