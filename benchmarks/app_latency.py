"""Warm question latency in the app: each question of evals/suites/corpus.jsonl asked on
the chat page through Streamlit's AppTest (one session, the whole script rerun as a browser
would), after one warm-up question that builds the model, store and assistant.

    .venv/bin/python benchmarks/app_latency.py [--questions 30]

Uses PLANASSIST_STORE when it holds documents, else ingests corpus/documents into a
temporary store. Prints the page's time per question (rerun: retrieve, answer, check, render
the conversation and the sources) beside the engine's own timings_ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("PLANASSIST_STORE") or not Path(os.environ["PLANASSIST_STORE"]).exists():
        os.environ["PLANASSIST_STORE"] = str(Path(tempfile.mkdtemp()) / "store")
        subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "ingest", str(ROOT / "corpus" / "documents")],
                       check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    from streamlit.testing.v1 import AppTest

    questions = [json.loads(line)["question"] for line in
                 (ROOT / "evals" / "suites" / "corpus.jsonl").read_text().splitlines() if line.strip()]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    started = time.perf_counter()
    at.run()
    at.chat_input[0].set_value("What is Zarvia's FY2026 FMF?").run()
    print(f"first load and first question: {time.perf_counter() - started:.1f} s")
    page_ms, engine_ms = [], []
    for question in questions[:args.questions]:
        at.session_state["turns"] = []  # one question each, as a fresh conversation would render
        started = time.perf_counter()
        at.chat_input[0].set_value(question).run()
        page_ms.append((time.perf_counter() - started) * 1000)
        assert not at.exception, at.exception[0].value
        engine_ms.append(sum(at.session_state["turns"][-1].answer.timings_ms.values()))
    for name, values in (("page (rerun)", page_ms), ("engine", engine_ms)):
        print(f"{name:>13}: p50 {pct(values, 50):.0f} ms, p95 {pct(values, 95):.0f} ms, max {max(values):.0f} ms "
              f"over {len(values)} questions")


if __name__ == "__main__":
    main()
