"""The ingest's progress display: a bar on a terminal, a plain line every few seconds
otherwise, and the app's upload progress text, all from one IngestProgress event."""

from __future__ import annotations

import dataclasses
import io

import pytest

from assistant.frontends import ingest_progress
from assistant.frontends.ingest_progress import done_fraction, progress_display
from assistant.frontends.ui.ingest_uploads import progress_text
from ingest.records import IngestProgress


def event(stage="parse", files_done=1, pages_done=50, chunks=10):
    return IngestProgress(stage=stage, file="DSCA_05-10.pdf", files_done=files_done, files_total=4,
                          pages_done=pages_done, pages_total=100, chunks=chunks)


def test_the_event_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        event().chunks = 3


def test_done_fraction_counts_parsing_and_writing_as_halves():
    assert done_fraction(event(files_done=0, pages_done=0)) == 0
    assert done_fraction(event(files_done=0, pages_done=100)) == 0.5
    assert done_fraction(event(files_done=4, pages_done=100)) == 1.0


def test_plain_lines_when_not_a_terminal(monkeypatch):
    monkeypatch.setattr(ingest_progress, "LINE_SECONDS", 0)
    stream = io.StringIO()
    with progress_display(stream) as show:
        show(event(files_done=0, pages_done=0))
        show(event(stage="embed", files_done=2, pages_done=100, chunks=40))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in stream.getvalue()
    assert lines[1].startswith("ingest: files 2/4, pages 100/100, chunks 40, embed DSCA_05-10.pdf; 0:00 elapsed")
    assert "left" in lines[1] and "left" not in lines[0]


def test_plain_lines_are_spaced_out(monkeypatch):
    monkeypatch.setattr(ingest_progress, "LINE_SECONDS", 60)
    stream = io.StringIO()
    with progress_display(stream) as show:
        for n in range(50):
            show(event(pages_done=n))
    assert len(stream.getvalue().splitlines()) == 1


def test_a_terminal_gets_a_bar_with_time_left():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with progress_display(stream) as show:
        show(event(files_done=2, pages_done=100))
    drawn = stream.getvalue()
    assert "75%" in drawn and "files 2/4, pages 100/100" in drawn and "<" in drawn


def test_counting_written_documents():
    with progress_display(io.StringIO()) as show:
        show(event(stage="write"))
        show(event(stage="parse"))
        show(event(stage="write"))
    assert show.written == 2


def test_upload_progress_names_file_stage_pages_and_chunks():
    assert progress_text(event(stage="embed", files_done=1, pages_done=60, chunks=25)) == (
        "Embedding DSCA_05-10.pdf (file 2 of 4) · page 60 of 100 · 25 chunks embedded")
