"""The mapping gold (evals/gold/mapping_gold.csv) and the figures a Mapping reaches on it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold" / "mapping_gold.csv"


@dataclass(frozen=True)
class GoldRow:
    activity_id: str
    objective_ids: tuple[str, ...]  # best first; empty for an orphan
    contribution: str


def load_gold(path: Path = GOLD) -> dict[str, GoldRow]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {r["activity_id"]: GoldRow(r["activity_id"], tuple(x.strip() for x in r["objective_ids"].split(";") if x.strip()),
                                          r["contribution"].strip()) for r in csv.DictReader(handle)}


def score_mapping(mapping, gold: dict[str, GoldRow]) -> dict:
    """top-1 (the best link is one of the gold objectives; an orphan is right when it has no
    link), top-1 primary (the best link is the gold's first objective), link precision and
    recall, and contribution accuracy on the first objective."""
    predicted = {a.activity_id: a for a in mapping.activities}
    gold_links = {(a, o) for a, row in gold.items() for o in row.objective_ids}
    links = {(a, o) for a, o in mapping.link_pairs() if a in gold}
    top1 = primary = contribution_right = contribution_total = 0
    for activity_id, row in gold.items():
        found = predicted.get(activity_id)
        best = found.links[0] if found and found.links else None
        if not row.objective_ids:
            top1 += best is None
            primary += best is None
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
        "contribution_accuracy": contribution_right / contribution_total if contribution_total else 0.0,
        "links": len(links), "gold_links": len(gold_links),
    }
