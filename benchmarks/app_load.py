"""Load on the running app through its page (issue 7, "Under load"): starts `streamlit run
app.py` on 127.0.0.1 over an ingested store, opens N browser pages at once (playwright with
Debian's Chromium, each page its own Streamlit session), and has each ask Q gold questions
of evals/suites/corpus.jsonl on the chat page, one after another, starting a new
conversation before each so every question stands alone. Bounded: N and Q are capped, each
question has a timeout and the whole run a time limit; loopback only.

    .venv/bin/python benchmarks/app_load.py [--pages 4] [--questions 5] [--time-limit 600] [--team]

Uses PLANASSIST_STORE when it holds documents, else ingests corpus/documents into a
temporary store.

--team runs the shape of a team server (issue 14 item 6): a real `chroma run` on 127.0.0.1
holding the collection, ingested by one "machine" (its own --store folder); two app
processes on two ports, each with its own store folder (two more machines); the pages split
between them; and, while they ask, a CLI ingest in a third process (a fourth store folder)
adds documents to the collection and then removes them, so every app follows another
machine's changes during the load. The added documents are notional plans of an invented
country: before the load the engine answers each question with them and without them, and
the run reports whether they change any answer (they must not, for the comparison with the
engine alone to mean anything); when they do change one, a page's answer to that question
must equal the engine's answer over one of the two states the collection passes through. Runs the app without a users file (the single-user default). Prints
throughput, p50/p95 latency (Enter pressed -> the answer drawn on the page), errors, and
whether each page's answer text equals the same question's answer asked alone through the
engine (computed first, in this process, over the same store)."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
MAX_PAGES, MAX_QUESTIONS = 16, 20
QUESTION_TIMEOUT_S = 90
SCREENSHOTS = Path(os.environ["PLANASSIST_LOAD_SCREENSHOTS"]) if os.environ.get("PLANASSIST_LOAD_SCREENSHOTS") else None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else float("nan")


def normalized(text: str) -> str:
    return " ".join((text or "").split())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_store() -> None:
    store = os.environ.get("PLANASSIST_STORE")
    if store and Path(store).exists():
        return
    folder = tempfile.mkdtemp(prefix="planassist-load-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # ours: removed at the end
    os.environ["PLANASSIST_STORE"] = str(Path(folder) / "store")
    subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "ingest", str(ROOT / "corpus" / "documents")],
                   check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)


def answers_alone(questions: list[str]) -> dict[str, str]:
    """Each question asked alone through the engine, as the app's shared assistant would."""
    from dataclasses import replace

    from assistant.config import Settings
    from assistant.services import make_assistant, make_embedder, make_store

    settings = replace(Settings.from_env(), user_file=None, user=None, max_marking=None, caveats=None)
    embedder = make_embedder(settings).warm_up()
    store = make_store(settings, embedder)
    # a fresh assistant for each question: nothing carried over from the questions before it
    # (the extractive answerer keeps the sentence vectors it has computed)
    return {q: make_assistant(settings, embedder, store, backend="extractive").ask(q).answer for q in questions}


def start_app(port: int, log_path: Path, store: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if store is not None:
        env["PLANASSIST_STORE"] = str(store)  # this app's own machine
    env.pop("PLANASSIST_USER_FILE", None)  # the single-user default: no login form in the way
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"streamlit did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.5)


# --- the team shape (--team) ---------------------------------------------------------------
EXTRA_PLAN = """UNCLASSIFIED // NOTIONAL - FOR DEMONSTRATION
{name} COUNTRY PLAN
1. SITUATION
1.a. The Republic of {name} operates {boats} coastal patrol craft from two harbours.
1.b. Its coast guard reported {rise} percent more fishing violations in 2025.
2. MISSION
2.a. The security cooperation office in {name} trains harbour pilots and boarding teams.
"""


def extra_documents(folder: Path) -> Path:
    """Notional plans of invented countries, which the CLI ingest adds during the load."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(("Quellmark", "Ostravel", "Brindor")):
        (folder / f"{name.lower()}-plan.txt").write_text(EXTRA_PLAN.format(name=name, boats=n + 3, rise=10 + n))
    return folder


def planassist(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.frontends.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "PLANASSIST_STORE": str(store)})


def start_chroma(folder: Path) -> tuple[subprocess.Popen, str]:
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        raise SystemExit("the chroma command (from the chromadb package) is not installed")
    port = free_port()
    log = open(folder / "chroma.log", "w")
    process = subprocess.Popen([exe, "run", "--path", str(folder / "server-data"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    atexit.register(process.kill)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"chroma did not start: {(folder / 'chroma.log').read_text()[-2000:]}")
            time.sleep(0.5)


def ingest_beside(extras: Path, store: Path, log: list[str]):
    """The third process's work during the load: add the extra documents, then remove them."""
    def run() -> None:
        for args in (("ingest", str(extras)), ("ingest", "--prune", str(extras))):
            if args[1] == "--prune":
                for file in extras.iterdir():
                    file.rename(file.with_suffix(".gone"))  # --prune sees them gone
            started = time.perf_counter()
            result = planassist(*args, store=store)
            log.append(f"`planassist {' '.join(args[:2])}` in a third process: exit {result.returncode}, "
                       f"{time.perf_counter() - started:.1f} s: {(result.stdout or result.stderr).splitlines()[0]}")
        for file in extras.iterdir():
            file.rename(file.with_suffix(".txt"))
    return run


async def idle(page) -> None:
    """Wait until the page's script run is over (Streamlit's "Running..." status is gone)."""
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=QUESTION_TIMEOUT_S * 1000)


async def page_worker(browser, url: str, index: int, questions: list[str], expected: dict[str, tuple[str, ...]],
                      results: list[dict]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        await page.goto(url, timeout=QUESTION_TIMEOUT_S * 1000)  # a first load under load can take over 30 s
        box = page.get_by_placeholder("Ask a question about your documents")
        await box.wait_for(state="visible", timeout=QUESTION_TIMEOUT_S * 1000)
        for question in questions:
            record = {"page": index, "question": question, "ok": False, "equal": False, "seconds": None,
                      "error": None}
            results.append(record)
            try:
                if await page.locator(".pa-marking").count():
                    await page.get_by_role("button", name="New conversation").click()
                    await page.locator(".pa-marking").first.wait_for(state="detached", timeout=60_000)
                await idle(page)
                await box.fill(question)
                started = time.perf_counter()
                await box.press("Enter")
                message = page.locator('[data-testid="stChatMessage"]').filter(has=page.locator(".pa-marking")).last
                await message.wait_for(state="visible", timeout=QUESTION_TIMEOUT_S * 1000)
                # the answer is drawn with its timing caption last
                await message.get_by_text(re.compile(r"· \d+ ms")).first.wait_for(timeout=30_000)
                record["seconds"] = time.perf_counter() - started
                if await page.locator('[data-testid="stException"]').count():
                    raise RuntimeError("the page shows an exception")
                texts = [normalized(t) for t in await message.locator('[data-testid="stMarkdownContainer"]')
                         .all_inner_texts()]
                record["ok"] = True
                if index >= 0:
                    print(f"  page {index}: {record['seconds']:.1f} s  {question[:70]}", flush=True)
                record["equal"] = any(normalized(answer) in texts for answer in expected[question])
                if not record["equal"]:
                    record["error"] = f"answer differs: page {texts!r} vs alone {expected[question]!r}"
            except Exception as exc:  # noqa: BLE001 -- every failure is counted and reported
                record["error"] = record["error"] or f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                print(f"  page {index}: error {record['error']}  {question[:70]}", flush=True)
                if SCREENSHOTS:
                    await page.screenshot(path=str(SCREENSHOTS / f"page{index}-{len(results)}.png"))
    finally:
        await context.close()


async def drive(urls: list[str], plan: list[list[str]], expected: dict[str, tuple[str, ...]], time_limit: float,
                beside=None) -> tuple[list[dict], float]:
    """Page i asks on urls[i % len(urls)]; `beside` (a blocking callable) runs in a thread
    during the load."""
    from playwright.async_api import async_playwright

    results: list[dict] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            # one warm-up page first, so the load measures warm answers, not the model's first load
            for url in urls:
                await page_worker(browser, url, -1, [plan[0][0]], expected, [])
            started = time.perf_counter()
            side = asyncio.get_running_loop().run_in_executor(None, beside) if beside else None
            try:
                await asyncio.wait_for(asyncio.gather(*(page_worker(browser, urls[i % len(urls)], i, questions,
                                                                    expected, results)
                                                        for i, questions in enumerate(plan))), time_limit)
            except asyncio.TimeoutError:
                results.append({"page": None, "question": None, "ok": False, "equal": False, "seconds": None,
                                "error": f"time limit of {time_limit:.0f} s reached"})
            wall = time.perf_counter() - started
            if side is not None:
                await side
        finally:
            await browser.close()
    return results, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=4, help=f"concurrent browser pages (max {MAX_PAGES})")
    parser.add_argument("--questions", type=int, default=5, help=f"questions per page (max {MAX_QUESTIONS})")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds for the whole load phase")
    parser.add_argument("--json", dest="json_path", type=Path, help="also write every result to this file")
    parser.add_argument("--team", action="store_true",
                        help="a Chroma server, two app processes and a CLI ingest in a third (see above)")
    args = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: `bash scripts/setup.sh --test` installs it")
    pages, per_page = min(args.pages, MAX_PAGES), min(args.questions, MAX_QUESTIONS)
    team = tempfile.mkdtemp(prefix="planassist-team-") if args.team else None
    if team:
        atexit.register(shutil.rmtree, team, ignore_errors=True)
        team = Path(team)
        _, chroma_url = start_chroma(team)
        os.environ["PLANASSIST_CHROMA_URL"] = chroma_url
        os.environ["PLANASSIST_STORE"] = str(team / "store-bench")  # the engine alone: its own machine
        result = planassist("ingest", str(ROOT / "corpus" / "documents"), store=team / "store-librarian")
        if result.returncode:
            raise SystemExit(result.stderr)
        print(f"chroma server {chroma_url}; corpus ingested by one store, {result.stdout.splitlines()[0]}")
    else:
        prepare_store()
    gold = [json.loads(line)["question"] for line in
            (ROOT / "evals" / "suites" / "corpus.jsonl").read_text().splitlines() if line.strip()]
    # page i asks questions i, i+pages, ...: different questions at the same moment
    plan = [[gold[(i + j * pages) % len(gold)] for j in range(per_page)] for i in range(pages)]
    started = time.perf_counter()
    questions = sorted({q for questions in plan for q in questions})
    alone = answers_alone(questions)
    expected = {q: (answer,) for q, answer in alone.items()}
    print(f"store {os.environ['PLANASSIST_STORE']}; {len(expected)} questions answered alone through the engine "
          f"in {time.perf_counter() - started:.1f} s")
    beside, side_log = None, []
    if team:
        extras = extra_documents(team / "extra-docs")
        writer = team / "store-writer"
        planassist("ingest", str(extras), store=writer)
        with_extras = answers_alone(questions)
        for file in extras.iterdir():
            file.rename(file.with_suffix(".gone"))
        planassist("ingest", "--prune", str(extras), store=writer)
        for file in extras.iterdir():
            file.rename(file.with_suffix(".txt"))
        changed = [q for q in questions if with_extras[q] != alone[q]]
        print(f"the extra documents change {len(changed)} of {len(questions)} answers of the engine alone"
              + "".join(f"\n  {q!r}: the page may give either" for q in changed))
        expected = {q: tuple(dict.fromkeys((alone[q], with_extras[q]))) for q in questions}
        beside = ingest_beside(extras, writer, side_log)
    ports = [free_port() for _ in range(2 if team else 1)]
    with tempfile.TemporaryDirectory(prefix="planassist-app-load-") as folder:
        processes = [start_app(port, Path(folder) / f"streamlit-{port}.log",
                               team / f"store-app{n}" if team else None) for n, port in enumerate(ports)]
        try:
            results, wall = asyncio.run(drive([f"http://127.0.0.1:{port}" for port in ports], plan, expected,
                                              args.time_limit, beside))
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
    answered = [r for r in results if r["ok"]]
    latencies = [r["seconds"] * 1000 for r in answered]
    errors = [r for r in results if r["error"]]
    planned = pages * per_page
    if team:
        print(f"team shape: one Chroma server, {len(ports)} app processes (ports {ports}), pages split between them")
        print("\n".join(side_log))
    print(f"{pages} pages x {per_page} questions = {planned} planned; {len(answered)} answered in {wall:.1f} s "
          f"({len(answered) / wall if wall else 0:.2f} questions/s)")
    print(f"latency on the page (Enter -> answer drawn): p50 {pct(latencies, 50):.0f} ms, "
          f"p95 {pct(latencies, 95):.0f} ms, max {max(latencies, default=float('nan')):.0f} ms")
    print(f"answers identical to the same question asked alone: {sum(r['equal'] for r in answered)} "
          f"of {len(answered)}")
    print(f"errors: {len(errors)}")
    for r in errors[:10]:
        print(f"  page {r['page']}: {r['question']!r}: {r['error']}")
    if args.json_path:
        args.json_path.write_text(json.dumps(results, indent=1))
    sys.exit(1 if errors or len(answered) < planned else 0)


if __name__ == "__main__":
    main()
