"""How `planassist ingest` shows where it stands: a tqdm bar on a terminal, a plain line every
few seconds otherwise (a log file or CI output is not redrawn in place, so a bar there would
be thousands of lines or none)."""

from __future__ import annotations

import contextlib
import os
import time

from ingest.records import IngestProgress

# between plain progress lines when the output is not a terminal (the kill test asks for more)
LINE_SECONDS = float(os.environ.get("PLANASSIST_PROGRESS_SECONDS") or 5.0)
STEPS = 1000  # the bar's resolution


def done_fraction(event: IngestProgress) -> float:
    """Parsing counts for half the work and embedding plus writing for the other half: on the
    dsca folder each took about half of the run."""
    if not event.pages_total or not event.files_total:
        return 0.0
    parsed = min(1.0, event.pages_done / event.pages_total)
    return 0.5 * parsed + 0.5 * event.files_done / event.files_total


def describe(event: IngestProgress) -> str:
    return (f"files {event.files_done}/{event.files_total}, pages {event.pages_done}/{event.pages_total}, "
            f"chunks {event.chunks}, {event.stage} {event.file}")


class _Display:
    def __init__(self, stream):
        self.stream = stream
        self.written = 0
        self.started = time.monotonic()
        self._bar = None
        self._last_line = 0.0
        self._is_terminal = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, event: IngestProgress) -> None:
        if event.stage == "write":
            self.written += 1
        if self._is_terminal:
            self._draw(event)
        elif time.monotonic() - self._last_line >= LINE_SECONDS:
            self._last_line = time.monotonic()
            self.stream.write(self.line(event) + "\n")
            self.stream.flush()

    def line(self, event: IngestProgress) -> str:
        elapsed = time.monotonic() - self.started
        fraction = done_fraction(event)
        left = f", about {_clock(elapsed * (1 - fraction) / fraction)} left" if fraction > 0.02 else ""
        return f"ingest: {describe(event)}; {_clock(elapsed)} elapsed{left}"

    def _draw(self, event: IngestProgress) -> None:
        steps = int(done_fraction(event) * STEPS)
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=STEPS, initial=steps, postfix=describe(event)[:90], file=self.stream,
                             leave=False, dynamic_ncols=True,
                             bar_format="{percentage:3.0f}%|{bar}| {postfix} [{elapsed}<{remaining}]")
            return
        self._bar.set_postfix_str(describe(event)[:90], refresh=False)
        self._bar.update(max(0, steps - self._bar.n))  # tqdm's rate gives the time left

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


@contextlib.contextmanager
def progress_display(stream):
    display = _Display(stream)
    try:
        yield display
    finally:
        display.close()
