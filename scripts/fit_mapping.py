"""Fit the mapping's scoring model on the gold sets and save it where the product loads it
(assistant/features/mapping/fitted_mapping.json). Deterministic and offline: the features come from
the bundled corpus store and the packaged embedding model, the fit is numpy only.

    PYTHONPATH=. python scripts/fit_mapping.py [--store DIR] [--cache DIR]

Without --store, the bundled corpus (corpus/documents) is ingested once into the cache folder
by the real `planassist ingest` command. Prints, for each gold set, the figures with the model
fitted on all sets and held out: fitted on the other sets only (leave-one-list-out, so each
unseen-style list is reported by a model that knows only the other one)."""

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
    from evals.mapping_gold import GOLD_SETS, labels, load_set, set_features
    from ingest.embedding import Embedder
    from ingest.store import Store

    embedder = Embedder().warm_up()
    store = Store(store_dir, embedding_name=embedder.name)
    sets = []
    for spec in GOLD_SETS:
        activities, objectives, gold = load_set(spec)
        features = set_features(spec, store, embedder, cache)
        sets.append(GoldSet(spec.name, features.values, labels(activities, objectives, gold)))
    return sets


def report(sets) -> dict:
    """{set: {"fitted": figures, "held_out": figures}}: fitted on every gold set, and held out
    (fitted on the other sets, evals.mapping_gold.held_out_training)."""
    from assistant.features.mapping.fitting import fit, measure
    from evals.mapping_gold import held_out_training

    def measured(model, s):
        return {k: round(v, 3) for k, v in measure(model, s).items()}

    everything = fit(sets)
    return {s.name: {"fitted": measured(everything, s),
                     "held_out": measured(fit([o for o in sets if o.name in held_out_training(s.name)]), s)}
            for s in sets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an ingested store of the bundled corpus")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("PLANASSIST_CACHE", Path.home() / ".cache" / "planassist")))
    parser.add_argument("--out", type=Path, default=ROOT / "assistant" / "features" / "mapping" / "fitted_mapping.json")
    args = parser.parse_args()
    from assistant.features.mapping.fitting import fit

    sets = gold_features(args.store or bundled_store(args.cache), args.cache)
    model = fit(sets)
    args.out.write_text(json.dumps(model.as_dict(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {model.thresholds}")
    for name, row in report(sets).items():
        print(f"{name:<11} fitted {row['fitted']}\n{'':<11} held out {row['held_out']}")


if __name__ == "__main__":
    main()
