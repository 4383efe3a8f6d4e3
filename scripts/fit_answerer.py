"""Fits the extractive answerer's weights and thresholds on the evaluation suites and writes
assistant/core/answer_params.json: the parameters fitted on all of them (what the product uses) and,
for each suite, those fitted without it (what `planassist eval` reports as held-out figures).

    .venv/bin/python scripts/fit_answerer.py                       # the suites below
    .venv/bin/python scripts/fit_answerer.py --suites evals/suites/corpus.jsonl evals/suites/samm.jsonl

Deterministic: the same suites, documents and code give the same file. It answers every suite
a few hundred times (retrieval once per case), so it takes a while on two cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.answer_params import PARAMS_FILE, AnswerParams  # noqa: E402

# dsca-ci: the CI subset of the dsca suite (60+ documents); its held-out parameters serve the
# whole dsca suite too (answer_params.held_out)
DEFAULT_SUITES = ["evals/suites/corpus.jsonl", "evals/suites/samm.jsonl", "evals/suites/dsca-ci.jsonl"]
# The parameters searched by default: the thresholds that decide refusals and answer length,
# and the weights that move rankings most. The others keep AnswerParams' defaults (searching
# all sixteen takes hours on two cores; --params names others).
DEFAULT_PARAMS = ["min_score", "primary_ratio", "multi_part_primary_ratio", "greedy_min_gain", "kind_missing",
                  "off_subject", "semantic_weight", "lexical_weight", "header_block"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suites", nargs="+", default=[s for s in DEFAULT_SUITES if (ROOT / s).exists()])
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--params", nargs="+", default=DEFAULT_PARAMS)
    parser.add_argument("--out", type=Path, default=PARAMS_FILE)
    args = parser.parse_args()

    from assistant.access.audit import AuditLog
    from assistant.core.answerers import ExtractiveBackend
    from assistant.core.engine import Assistant
    from evals.fitting import FitSuite, fit
    from evals.runner import corpus_store
    from evals.suite import corpus_include, load_suite, suite_corpus, suite_name
    from assistant.services import make_embedder
    from assistant.config import Settings

    import tempfile

    embedder = make_embedder(Settings.from_env())
    scratch = Path(tempfile.mkdtemp(prefix="planassist-fit-"))
    suites = []
    for path in args.suites:
        path = ROOT / path
        folder = suite_corpus(path, ROOT)
        store, _ = corpus_store(folder, embedder, corpus_include(path))
        assistant = Assistant(store, embedder, answerer=ExtractiveBackend(embedder, params=AnswerParams()),
                              audit=AuditLog(scratch / "audit.jsonl"))
        suites.append(FitSuite(suite_name(path), load_suite(path), assistant))
        print(f"{suites[-1].name}: {len(suites[-1].cases)} cases over {folder}", flush=True)

    started = time.perf_counter()
    print("fitting on all suites", flush=True)
    params, figures = fit(suites, AnswerParams(), names=args.params, passes=args.passes)
    result = {"fitted_on": [s.name for s in suites], "searched": args.params, "params": params.as_dict(),
              "figures": figures,
              "leave_one_out": {}, "held_out_figures": {}}
    if len(suites) > 1:
        for held in suites:
            print(f"fitting without {held.name}", flush=True)
            rest = [s for s in suites if s is not held]
            loso, _ = fit(rest, AnswerParams(), names=args.params, passes=args.passes)
            result["leave_one_out"][held.name] = loso.as_dict()
            from evals.fitting import suite_figures
            result["held_out_figures"][held.name] = suite_figures(held, loso)
    result["seconds"] = round(time.perf_counter() - started)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({"figures": figures, "held_out_figures": result["held_out_figures"]}, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
