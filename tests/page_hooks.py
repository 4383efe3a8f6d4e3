"""Page readers that misbehave, injected in place of pdf_loader.extract_range by tests: they
run in the real worker processes (pickled by name, so they live in an importable module)."""

from __future__ import annotations

import os
import signal
import time

HANG_MARK = b"HANG-IN-WORKER"
DIE_MARK = b"DIE-IN-WORKER"


def extract_or_misbehave(data: bytes, start: int, stop: int) -> list[str]:
    """Hangs forever on a PDF whose bytes carry HANG_MARK, kills its own process on one with
    DIE_MARK, reads any other PDF as usual."""
    from ingest.loaders import pdf_loader

    if HANG_MARK in data:
        while True:
            time.sleep(3600)
    if DIE_MARK in data:
        os.kill(os.getpid(), signal.SIGKILL)
    return pdf_loader.extract_range(data, start, stop)


def open_descriptors(data: bytes) -> list[str]:
    """What this worker process has open (the targets of /proc/self/fd)."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return targets


def report_pid_and_sleep(data: bytes) -> int:
    return os.getpid() if data == b"pid" else time.sleep(3600)
