"""Worker processes for page work (PDF text extraction, OCR), which never hang an ingest.

Why not ProcessPoolExecutor, as before: with the default fork start method, a worker forked
by one loader thread while another thread held a lock could wait on that lock forever (issue
16: one run in five over 318 real PDFs sat 17 minutes at zero load); a worker that hangs
cannot be stopped without breaking the whole pool (every other file's pending ranges fail with
it); and a forked worker inherits the store's lock descriptor, so a worker left behind by a
SIGKILLed ingest kept the store locked (issue 14). Here:
- each worker is a new Python started by exec (`python -m ingest.loaders.page_workers`),
  not a fork: it inherits no lock held by a thread of ours and no descriptor but its two pipes
  (the store's lock file among those it does not get). Not multiprocessing's spawn or
  forkserver either: both re-import the parent's __main__ in every worker (the whole CLI, or
  Streamlit's runner), and fail when there is none on disk;
- each worker asks the kernel to kill it when the ingest dies (PR_SET_PDEATHSIG), so a
  SIGKILLed ingest leaves no worker alive;
- each task has a time limit: a worker past it, or one that died, is killed and replaced,
  and only that task fails (with a WorkerFailure naming the reason), the run goes on.
One parent thread per worker feeds it tasks, so submit() returns a Future like an executor.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from multiprocessing.connection import Connection


START_SECONDS = 120  # for a worker to start and import pypdf (0.3 s idle; 5 s seen at load 17)


class WorkerFailure(Exception):
    """A task whose worker timed out or died; the message says which and how long it ran."""


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel for SIGKILL when the parent dies; checked once after, in case it died
    before the call. (The parent is the thread that started us: a feeder thread, which lives
    as long as the pool.)"""
    PR_SET_PDEATHSIG = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's shutdown still stops workers
        pass
    if os.getppid() != parent_pid:
        os._exit(1)


def _worker_main(parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    # Ctrl-C reaches the whole terminal process group; the ingest decides what stops, and a
    # traceback per worker would bury its one line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns stdin and a copy of stdout; what a library prints goes to stderr.
    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    import ingest.loaders.pdf_loader  # noqa: F401 - imported before the clock of a first task starts

    outbox.send("ready")
    blobs: tuple = (None, None)  # (key, bytes): the last document's bytes, sent once per worker
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, key, blob, args = message
        if blob is not None:
            blobs = (key, blob)
        try:
            result = (True, function(blobs[1], *args))
        except Exception as exc:  # noqa: BLE001 - sent back as text: not every exception pickles
            result = (False, f"{exc}" if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}")
        outbox.send(result)


class _Worker:
    """One worker process and the two ends of its pipes."""

    def __init__(self):
        # The worker finds our modules (and a test's) where we found them.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingest.loaders.page_workers", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        self.outbox = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.inbox = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.sent_key = None

    def ready(self) -> bool:
        """Waits for the worker's imports: its start-up (seconds on a loaded machine) does not
        count against the time limit of its first task."""
        try:
            return self.inbox.poll(START_SECONDS) and self.inbox.recv() == "ready"
        except (EOFError, OSError):
            return False

    def exit_description(self) -> str:
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "no exit code"
        return f"signal {-code}" if code < 0 else f"exit code {code}"

    def stop(self) -> None:
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for end in (self.inbox, self.outbox):
            try:
                end.close()
            except OSError:
                pass


class _Task:
    __slots__ = ("future", "function", "key", "blob", "args", "seconds", "label")

    def __init__(self, future, function, key, blob, args, seconds, label):
        self.future, self.function, self.key, self.blob = future, function, key, blob
        self.args, self.seconds, self.label = args, seconds, label


class PageWorkers:
    """`workers` processes; submit(function, key, blob, *args) runs function(blob, *args) in
    one of them within `seconds` and returns a Future. `blob` (a document's bytes) crosses the
    pipe once per worker and document, not once per page range."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._tasks: queue.Queue = queue.Queue()
        self._closed = False
        self._running: set = set()
        self._guard = threading.Lock()
        self._feeders = [threading.Thread(target=self._feed, name=f"page-worker-{n}", daemon=True)
                         for n in range(self.workers)]
        for feeder in self._feeders:
            feeder.start()

    def submit(self, function, key, blob, *args, seconds: float, label: str = "") -> Future:
        if self._closed:
            raise RuntimeError("the page workers are shut down")
        future: Future = Future()
        self._tasks.put(_Task(future, function, key, blob, args, seconds, label))
        return future

    def shutdown(self) -> None:
        """Stop now: pending tasks are cancelled, running workers killed."""
        self._closed = True
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task.future.cancel()
        for _ in self._feeders:
            self._tasks.put(None)
        with self._guard:
            for worker in list(self._running):
                worker.stop()
        for feeder in self._feeders:
            feeder.join(timeout=10)

    def __enter__(self) -> "PageWorkers":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # --- one feeder thread per worker process ------------------------------------------
    def _feed(self) -> None:
        worker: _Worker | None = None
        try:
            while True:
                task = self._tasks.get()
                if task is None or self._closed:
                    if task is not None:
                        task.future.cancel()
                    return
                if not task.future.set_running_or_notify_cancel():
                    continue
                if worker is None:
                    try:
                        worker = _Worker()
                    except OSError as exc:
                        task.future.set_exception(WorkerFailure(f"a worker process could not start ({exc})"))
                        continue
                    with self._guard:
                        self._running.add(worker)
                    if not worker.ready():
                        task.future.set_exception(WorkerFailure(
                            f"a worker process did not start within {START_SECONDS:g} s"))
                        with self._guard:
                            self._running.discard(worker)
                        worker.stop()
                        worker = None
                        continue
                outcome = self._run(worker, task)
                if outcome is not None:  # the worker is gone or past saving
                    with self._guard:
                        self._running.discard(worker)
                    worker.stop()
                    worker = None
                    if self._closed:
                        task.future.set_exception(WorkerFailure("stopped"))
                        return
                    task.future.set_exception(WorkerFailure(outcome))
        finally:
            if worker is not None:
                with self._guard:
                    self._running.discard(worker)
                worker.stop()

    @staticmethod
    def _run(worker: _Worker, task: _Task) -> str | None:
        """Runs one task; returns why the worker must be replaced, or None when it answered."""
        try:
            worker.outbox.send((task.function, task.key, task.blob if task.key != worker.sent_key else None,
                                task.args))
            worker.sent_key = task.key
            if not worker.inbox.poll(task.seconds):
                return (f"{task.label or 'the work'} took over {task.seconds:g} s (the worker stopped making "
                        "progress; raise the limit with --page-seconds)")
            ok, value = worker.inbox.recv()
        except (EOFError, OSError):
            return f"the worker reading {task.label or 'it'} died ({worker.exit_description()})"
        if ok:
            task.future.set_result(value)
        else:
            task.future.set_exception(ValueError(value))
        return None


if __name__ == "__main__":
    _worker_main(int(sys.argv[1]))
