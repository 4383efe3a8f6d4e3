"""The mapping gold sets and the figures a Mapping reaches on them.

Four sets, each a list of activities, a list of objectives and the gold links:
- bundled: corpus/activities.csv and corpus/objectives.csv, whose ids the documents use, so
  most links are stated by a document (evals/gold/mapping_gold.csv);
- renumbered: the same lists with the activities renumbered (A04 -> ACT-04), so a document
  names an activity only by its title;
- unseen and unseen2: two activity-database exports with campaign objectives in a planner's
  own words, ids and wording no document uses, written separately to different structures
  (evals/gold/mapping_unseen*.csv and mapping_unseen2*.csv, notes beside them).
The shipped model is fitted on the four sets; each set is also reported held out, from a model
fitted on the other three (leave-one-list-out: an unseen-style list held out while the model
still knows the other one)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = Path(__file__).resolve().parent / "gold"
GOLD = GOLD_DIR / "mapping_gold.csv"
FEATURE_CODE = ("assistant/features/mapping/features.py", "assistant/features/mapping/evidence.py", "assistant/features/mapping/documents.py",
                "assistant/features/mapping/hierarchy.py", "assistant/features/mapping/gaps.py",
                "assistant/features/mapping/models.py")


@dataclass(frozen=True)
class GoldRow:
    activity_id: str
    objective_ids: tuple[str, ...]  # best first; empty for an orphan
    contribution: str


@dataclass(frozen=True)
class GoldSpec:
    name: str
    activities: Path
    objectives: Path
    gold: Path
    renumber: bool = False  # A04 -> ACT-04 in the list and the gold


GOLD_SETS = (
    GoldSpec("bundled", ROOT / "corpus" / "activities.csv", ROOT / "corpus" / "objectives.csv", GOLD),
    GoldSpec("renumbered", ROOT / "corpus" / "activities.csv", ROOT / "corpus" / "objectives.csv", GOLD, renumber=True),
    GoldSpec("unseen", GOLD_DIR / "mapping_unseen_activities.csv", GOLD_DIR / "mapping_unseen_objectives.csv",
             GOLD_DIR / "mapping_unseen.csv"),
    GoldSpec("unseen2", GOLD_DIR / "mapping_unseen2_activities.csv", GOLD_DIR / "mapping_unseen2_objectives.csv",
             GOLD_DIR / "mapping_unseen2.csv"),
)
UNSEEN_STYLE = ("unseen", "unseen2")


def held_out_training(name: str) -> tuple[str, ...]:
    """The sets a model is fitted on to report `name` held out: every other set."""
    return tuple(spec.name for spec in GOLD_SETS if spec.name != name)


def renumbered(activity_id: str) -> str:
    return "ACT-" + activity_id[1:]


def load_gold(path: Path = GOLD) -> dict[str, GoldRow]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {r["activity_id"]: GoldRow(r["activity_id"], tuple(x.strip() for x in r["objective_ids"].split(";") if x.strip()),
                                          r["contribution"].strip()) for r in csv.DictReader(handle)}


def load_set(spec: GoldSpec):
    """(activities, objectives, gold rows) of a gold set, as the product reads them."""
    from assistant.features.mapping.inputs import read_activities, read_objectives

    activities, _ = read_activities(spec.activities)
    objectives, _ = read_objectives(spec.objectives)
    gold = load_gold(spec.gold)
    if spec.renumber:
        activities = [dataclasses.replace(a, id=renumbered(a.id)) for a in activities]
        gold = {renumbered(k): dataclasses.replace(v, activity_id=renumbered(k)) for k, v in gold.items()}
    return activities, objectives, gold


def labels(activities, objectives, gold: dict[str, GoldRow]) -> np.ndarray:
    return np.array([[float(o.id in gold[a.id].objective_ids) for o in objectives] for a in activities])


def set_features(spec: GoldSpec, store, embedder, cache_dir: Path | None = None):
    """features.PairFeatures of a gold set over the store; the values are cached in
    cache_dir by the lists, the store's documents and the feature code (the CPU is shared and
    slow: one pass over the three sets retrieves about 300 times)."""
    from assistant.features.mapping.documents import MappingDocuments
    from assistant.features.mapping.features import PairFeatures, pair_features
    from assistant.core.retrieval import HybridSearch

    activities, objectives, _ = load_set(spec)
    cache = None
    if cache_dir is not None:
        key = hashlib.sha1(json.dumps([spec.name, spec.renumber, *[p.read_text(encoding="utf-8") for p in
                                       (spec.activities, spec.objectives)],
                                       *[(ROOT / p).read_text(encoding="utf-8") for p in FEATURE_CODE],
                                       sorted((d.doc_id, d.chunks) for d in store.documents())],
                                      default=str).encode()).hexdigest()[:16]
        cache = Path(cache_dir) / f"mapping-features-{spec.name}-{key}.npy"
        if cache.exists():
            return PairFeatures([a.id for a in activities], [o.id for o in objectives], np.load(cache),
                                has_documents=True)
    features = pair_features(activities, objectives, embedder, MappingDocuments(HybridSearch(store, embedder)))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, features.values)
    return features


def score_mapping(mapping, gold: dict[str, GoldRow]) -> dict:
    """top-1 (the best link is one of the gold objectives; an orphan is right when it has no
    link), top-1 primary (the best link is the gold's first objective), link precision and
    recall, orphans found (gold orphans reported with no link), and contribution accuracy on
    the first objective."""
    predicted = {a.activity_id: a for a in mapping.activities}
    gold_links = {(a, o) for a, row in gold.items() for o in row.objective_ids}
    links = {(a, o) for a, o in mapping.link_pairs() if a in gold}
    top1 = primary = contribution_right = contribution_total = orphans_found = orphans = 0
    for activity_id, row in gold.items():
        found = predicted.get(activity_id)
        best = found.links[0] if found and found.links else None
        if not row.objective_ids:
            top1 += best is None
            primary += best is None
            orphans += 1
            orphans_found += best is None
            continue
        top1 += best is not None and best.objective_id in row.objective_ids
        primary += best is not None and best.objective_id == row.objective_ids[0]
        first = next((l for l in (found.links if found else []) if l.objective_id == row.objective_ids[0]), None)
        contribution_total += 1
        contribution_right += first is not None and first.contribution == row.contribution
    true = len(links & gold_links)
    return {
        "top1": top1 / len(gold), "top1_primary": primary / len(gold),
        "precision": true / len(links) if links else 0.0, "recall": true / len(gold_links) if gold_links else 0.0,
        "orphans_found": orphans_found / orphans if orphans else 1.0,
        "contribution_accuracy": contribution_right / contribution_total if contribution_total else 0.0,
        "links": len(links), "gold_links": len(gold_links),
    }
