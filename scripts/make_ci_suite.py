"""Write evals/suites/dsca-ci.jsonl: the cases of evals/suites/dsca.jsonl that the CI subset
(evals/suites/dsca-ci.corpus, `include:` globs on ../shared/realdocs/dsca) can answer, i.e.
every case whose reference sources all lie inside the subset, unanswerable cases included
(a question the whole folder cannot answer, a subset of it cannot either).

The full folder takes too long for CI on a shared machine (measured in the lead's report), so
CI runs this subset; generating it keeps the two suites from drifting apart.

Usage: python scripts/make_ci_suite.py [--check]   (--check: exit 1 if the file is stale)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUITES = ROOT / "evals" / "suites"
FULL = SUITES / "dsca.jsonl"
SUBSET = SUITES / "dsca-ci.jsonl"


def subset_lines() -> list[str]:
    from evals.suite import corpus_files, corpus_include, load_suite, suite_corpus

    folder = suite_corpus(SUBSET, ROOT)
    inside = {p.relative_to(folder).as_posix() for p in corpus_files(folder, corpus_include(SUBSET))}
    load_suite(FULL)  # refuse to copy from a suite that does not load
    kept = []
    for line in FULL.read_text(encoding="utf-8").splitlines():
        if line.strip() and all(s["source"] in inside for s in json.loads(line).get("reference_sources") or []):
            kept.append(line)
    return kept


def main(argv: list[str]) -> int:
    text = "".join(line + "\n" for line in subset_lines())
    if "--check" in argv:
        if not SUBSET.exists() or SUBSET.read_text(encoding="utf-8") != text:
            print(f"{SUBSET.relative_to(ROOT)} is stale: run python scripts/make_ci_suite.py", file=sys.stderr)
            return 1
        return 0
    SUBSET.write_text(text, encoding="utf-8")
    print(f"{SUBSET.relative_to(ROOT)}: {text.count(chr(10))} of the cases of {FULL.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
