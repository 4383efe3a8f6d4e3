"""Fit the mapping's scoring model on the gold sets and save it where the product loads it
(assistant/features/mapping/fitted_mapping.json). Deterministic and offline: the features come from
the bundled corpus store and the packaged embedding model, the fit is numpy only.

    PYTHONPATH=. python scripts/fit_mapping.py [--store DIR] [--cache DIR]

Without --store, the bundled corpus (corpus/documents) is ingested once into the cache folder
by the real `planassist ingest` command. Prints, for each gold set, the figures with the model
fitted on all sets and fitted without that set (leave-one-out; for the whole unseen list,
without either of its halves)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bundled_store(cache: Path) -> Path:
    store = cache / "corpus-store"
    if not (store / "chroma").exists() and not any(store.glob("*")):
        env = {**os.environ, "PLANASSIST_STORE": str(store), "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "ingest", str(ROOT / "corpus" / "documents")],
                       env=env, check=True)
    return store


def gold_features(store_dir: Path, cache: Path):
    from assistant.features.mapping.fitting import GoldSet
    from evals.mapping_gold import GOLD_SETS, HALVES, labels, load_set, set_features
    from ingest.embedding import Embedder
    from ingest.store import Store

    embedder = Embedder().warm_up()
    store = Store(store_dir, embedding_name=embedder.name)
    sets = []
    for spec in GOLD_SETS + HALVES:
        activities, objectives, gold = load_set(spec)
        features = set_features(spec, store, embedder, cache)
        sets.append(GoldSet(spec.name, features.values, labels(activities, objectives, gold)))
    return sets


def report(sets) -> dict:
    """{set: {"fitted": figures, "held_out": figures}}: fitted on the three gold sets, and
    refitted without the set (leave-one-out); a half of the unseen list is held out by fitting
    on the other sets and its other half."""
    from assistant.features.mapping.fitting import fit, measure
    from evals.mapping_gold import GOLD_SETS

    def measured(model, s):
        return {k: round(v, 3) for k, v in measure(model, s).items()}

    whole = [s for s in sets if s.name in {g.name for g in GOLD_SETS}]
    everything = fit(whole)
    out = {}
    for s in sets:
        if s in whole:
            others = [o for o in whole if o is not s]
        else:  # a half: the other sets and the other half
            others = [o for o in whole if not s.name.startswith(o.name)] + \
                [o for o in sets if o not in whole and o is not s]
        out[s.name] = {"fitted": measured(everything, s), "held_out": measured(fit(others), s)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an ingested store of the bundled corpus")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("PLANASSIST_CACHE", Path.home() / ".cache" / "planassist")))
    parser.add_argument("--out", type=Path, default=ROOT / "assistant" / "mapping" / "fitted_mapping.json")
    args = parser.parse_args()
    from assistant.features.mapping.fitting import fit

    from evals.mapping_gold import GOLD_SETS

    sets = gold_features(args.store or bundled_store(args.cache), args.cache)
    model = fit([s for s in sets if s.name in {g.name for g in GOLD_SETS}])
    args.out.write_text(json.dumps(model.as_dict(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {model.thresholds}")
    for name, row in report(sets).items():
        print(f"{name:<11} fitted {row['fitted']}\n{'':<11} held out {row['held_out']}")


if __name__ == "__main__":
    main()
