"""Mapping gates on the bundled corpus store, measured against the gold sets of
evals/mapping_gold.py (the bundled lists, the same renumbered, and two unseen-style lists the
documents never name) with the same code the `map` command runs."""

import json
import os

import pytest

from helpers import ROOT
from helpers import planassist

ACTIVITIES = ROOT / "corpus" / "activities.csv"
OBJECTIVES = ROOT / "corpus" / "objectives.csv"
PLANTED_ORPHANS = {"A24", "A25", "A26"}  # evals/gold/mapping_gold_notes.md, "Planted gaps"
PLANTED_UNCOVERED = {"IMO 3.3", "IMO 4.3"}


@pytest.fixture(scope="module")
def store(bundled_store):
    return bundled_store


@pytest.fixture(scope="module")
def mapping(store, embedder, gold_sets):
    """The bundled lists mapped as `build_mapping` does (the features already computed for the
    gold sets are reused: the CPU is shared)."""
    from assistant.features.mapping.build import mapping_from_features
    from assistant.features.mapping.documents import MappingDocuments
    from assistant.features.mapping.scoring import load_model
    from assistant.core.retrieval import HybridSearch

    activities, objectives, _, features, _ = gold_sets["bundled"]
    return mapping_from_features(activities, objectives, features, load_model(),
                                 MappingDocuments(HybridSearch(store, embedder)))


@pytest.fixture(scope="module")
def gold_sets(store, embedder):
    """Each gold set's lists, gold and pair features over the bundled store."""
    from assistant.features.mapping.fitting import GoldSet
    from evals.mapping_gold import GOLD_SETS, labels, load_set, set_features

    out = {}
    for spec in GOLD_SETS:
        activities, objectives, gold = load_set(spec)
        features = set_features(spec, store, embedder)
        out[spec.name] = (activities, objectives, gold, features,
                          GoldSet(spec.name, features.values, labels(activities, objectives, gold)))
    return out


def figures_with(model, entry) -> dict:
    """The gold figures of the Mapping the product builds from these features and model."""
    from assistant.features.mapping.build import mapping_from_features
    from evals.mapping_gold import score_mapping

    activities, objectives, gold, features, _ = entry
    return score_mapping(mapping_from_features(activities, objectives, features, model), gold)


# (figures, gold set, gate) -> the figure reached when it was marked (2026-12-01, after the
# similarity on the activity's purpose, the gap-aware bridge and the stage-1 model without the
# column view; refitted by scripts/fit_mapping.py): an xfail, not strict, so CI shows the gap and
# XPASS shows when a gate can be made hard. "fitted" is the shipped model (fitted on every set);
# "held_out" a model fitted on the other sets only. The unseen list's recall passed before this
# change (fitted 0.771, held out 0.792): the refit's thresholds trade it for precision (fitted
# 0.787 -> 0.791, held out 0.594 -> 0.761) and the second list's orphans (0.6 -> 0.8).
# The renumbered list's top-1 (fitted 0.786) passes since an activity a document suggests is
# never an orphan (fitted 0.893, held out 0.821 -> 0.893).
NOT_YET_MET = {
    ("fitted", "unseen", "top1>=0.80"): 0.766, ("fitted", "unseen", "precision>=0.85"): 0.791,
    ("fitted", "unseen", "recall>=0.75"): 0.708,
    ("fitted", "unseen2", "top1>=0.80"): 0.604, ("fitted", "unseen2", "precision>=0.85"): 0.711,
    ("fitted", "unseen2", "recall>=0.75"): 0.681,
    ("held_out", "bundled", "precision>=1.0"): 0.973,
    ("held_out", "unseen", "top1>=0.80"): 0.787, ("held_out", "unseen", "precision>=0.85"): 0.761,
    ("held_out", "unseen", "recall>=0.75"): 0.729,
    ("held_out", "unseen2", "top1>=0.80"): 0.625, ("held_out", "unseen2", "precision>=0.85"): 0.673,
    ("held_out", "unseen2", "recall>=0.75"): 0.702,
}
# Held out (fitted on the other three sets), an unseen-style list must still rank well above
# the fixed rule the model replaced (top-1 0.15 on the first list) and above a model that knows
# no unseen-style list (0.57 / 0.46): reached 0.787 and 0.625; and keep the link precision and
# orphans the purpose similarity and the gap-aware bridge brought (0.594 / 0.633 -> 0.761 / 0.673;
# orphans 0.8 / 0.4 -> 0.8 / 0.8).
HELD_OUT_FLOORS = {"top1": 0.60, "precision": 0.65, "orphans_found": 0.75}


@pytest.fixture(scope="module")
def mapping_figures(gold_sets):
    """Every gold set with the shipped model (fitted on the four sets) and held out, with a
    model fitted on the other sets only (leave-one-list-out: each unseen-style list is
    reported by a model that knows only the other), so a rule that only helps its own set shows."""
    from assistant.features.mapping.fitting import fit
    from assistant.features.mapping.scoring import load_model
    from evals.mapping_gold import held_out_training

    shipped = load_model()
    keys = ("top1", "precision", "recall", "orphans_found")
    fitted, held_out, lines = {}, {}, []
    for name, entry in gold_sets.items():
        fitted[name] = figures_with(shipped, entry)
        held_out[name] = figures_with(fit([gold_sets[n][4] for n in held_out_training(name)]), entry)
        lines.append(f"{name:<11} fitted   " + " ".join(f"{k} {fitted[name][k]:.3f}" for k in keys)
                     + f"  ({fitted[name]['links']} links, {fitted[name]['gold_links']} gold)")
        lines.append(f"{'':<11} held out " + " ".join(f"{k} {held_out[name][k]:.3f}" for k in keys))
    print(f"mapping gold, shipped model {shipped.thresholds}:\n" + "\n".join(lines))
    return {"fitted": fitted, "held_out": held_out}


def _gate_cases():
    from evals.gates import MAPPING_GATES

    for figures in ("fitted", "held_out"):
        for name, gates in MAPPING_GATES.items():
            for gate in gates:
                marks = []
                if (figures, name, gate) in NOT_YET_MET:
                    marks = [pytest.mark.xfail(strict=False, reason=f"reached {NOT_YET_MET[(figures, name, gate)]} when marked")]
                yield pytest.param(figures, name, gate, marks=marks, id=f"{figures}:{name}:{gate}")


@pytest.mark.parametrize("figures,name,gate", list(_gate_cases()))
def test_mapping_meets_the_gold_gates(mapping_figures, figures, name, gate):
    from evals.gates import check_mapping_gates

    assert not check_mapping_gates(mapping_figures[figures], {name: (gate,)})


def test_held_out_unseen_lists_stay_above_the_floors(mapping_figures):
    from evals.mapping_gold import UNSEEN_STYLE

    for name in UNSEEN_STYLE:
        for metric, floor in HELD_OUT_FLOORS.items():
            assert mapping_figures["held_out"][name][metric] >= floor, (name, metric, mapping_figures["held_out"][name])


def test_shipped_parameters_are_what_the_fitting_script_produces(gold_sets):
    """fitted_mapping.json is reproducible: scripts/fit_mapping.py's fit over the gold sets
    gives the same thresholds and (to rounding of the store's floats) the same weights."""
    import numpy as np

    from assistant.features.mapping.fitting import fit
    from assistant.features.mapping.scoring import load_model
    from evals.mapping_gold import GOLD_SETS

    shipped, again = load_model(), fit([gold_sets[spec.name][4] for spec in GOLD_SETS])
    assert again.thresholds == shipped.thresholds
    for stage in ("stage1", "stage2"):
        assert np.allclose(getattr(again, stage)["weights"], getattr(shipped, stage)["weights"], atol=0.05)


def test_gaps_carry_the_sentence_that_explains_them(mapping):
    """The J5 memo sentence that returned two nominations explains those orphans; the one
    naming the objectives no nomination addresses explains the uncovered ones."""
    from assistant.features.mapping.evidence import NEGATION

    notes = mapping.gap_notes
    for orphan in PLANTED_ORPHANS:  # a sentence saying it supports no objective
        assert orphan in notes and NEGATION.search(notes[orphan].quote), notes
    for objective in PLANTED_UNCOVERED:
        assert objective in notes and objective in notes[objective].quote, notes
    assert all(n.page >= 1 and n.title for n in notes.values())


def test_unseen_lists_rank_every_activity_and_keep_the_gaps(gold_sets):
    """An unseen list: every activity gets its objectives ranked; the planted orphans come out
    orphans and the objective nothing addresses comes out uncovered."""
    from assistant.features.mapping.build import mapping_from_features
    from assistant.features.mapping.scoring import load_model

    activities, objectives, gold, features, _ = gold_sets["unseen"]
    result = mapping_from_features(activities, objectives, features, load_model())
    orphans = {a for a, row in gold.items() if not row.objective_ids}
    found = orphans & set(result.gaps["orphan_activities"])
    assert len(found) >= 0.75 * len(orphans), result.gaps
    assert "C3.c" in result.gaps["uncovered_objectives"], result.gaps
    # an activity reported as an orphan still shows its nearest objective, as a suggestion
    for activity in result.activities:
        assert activity.links or activity.suggested, activity.activity_id
        assert all(0 <= l.score <= 1 for l in activity.links)


def test_links_carry_cited_evidence_and_rationale(mapping):
    by_id = {a.activity_id: a for a in mapping.activities}
    for activity in mapping.activities:
        for link in activity.links:
            assert link.rationale and link.contribution in {"direct", "enabling", "relationship"}
            assert link.confidence in {"high", "medium", "low"}
            assert link.needs_review == (link.confidence == "low" or link.score < mapping.thresholds["review"])
    # a documented link cites the paragraph that states it, with a quote naming the activity
    radar = by_id["A02"].links[0]
    assert radar.objective_id == "IMO 1.1" and radar.confidence == "high"
    assert any("A02" in c.quote and c.section and c.page >= 1 for c in radar.evidence)


def test_wording_only_mode_ranks_every_activity_and_flags_every_link_for_review(embedder):
    """With no documents the wording alone ranks each activity's objectives, and no link is
    offered as settled. (It does not tell the planted orphans A24 and A26 from real
    activities: the rule before issue 15 did, only because its 0.55 cut left most activities
    with no objective at all.)"""
    from assistant.features.mapping import build_mapping
    from assistant.features.mapping.inputs import read_activities, read_objectives

    activities, _ = read_activities(ACTIVITIES)
    objectives, _ = read_objectives(OBJECTIVES)
    result = build_mapping(activities, objectives, embedder, None)
    assert all(l.needs_review and l.confidence == "low" for a in result.activities for l in a.links)
    assert all(a.links or a.suggested for a in result.activities)
    assert sum(bool(a.links) for a in result.activities) >= len(activities) / 2


def test_map_command_json_xlsx_and_objectives_from_corpus(store, tmp_path):
    import openpyxl

    env = {**os.environ, "PLANASSIST_STORE": str(store.store_dir)}
    bad = tmp_path / "acts.csv"
    bad.write_text(ACTIVITIES.read_text(encoding="utf-8") + ",Untitled,exercise,,,,\n", encoding="utf-8")
    out = tmp_path / "map.xlsx"
    run = planassist("map", "--activities", str(bad), "--objectives-from-corpus", "--out", str(out), "--json", env=env)
    assert run.returncode == 0, run.stderr
    assert "row 30: missing id; row skipped" in run.stderr
    data = json.loads(run.stdout)
    assert {"activities", "gaps", "thresholds"} <= data.keys()
    assert set(data["gaps"]["uncovered_objectives"]) == PLANTED_UNCOVERED
    assert PLANTED_ORPHANS <= set(data["gaps"]["orphan_activities"])
    first = data["activities"][0]["links"][0]
    assert {"objective_id", "score", "contribution", "confidence", "rationale", "needs_review", "evidence"} <= first.keys()
    assert {"source", "page", "section", "quote"} <= first["evidence"][0].keys()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Links", "Matrix", "Gaps"]
    assert book["Links"].cell(1, 1).value == "activity_id" and book["Links"].max_row > 30
    md = tmp_path / "map.md"
    run = planassist("map", "--activities", str(ACTIVITIES), "--objectives", str(OBJECTIVES), "--out", str(md), env=env)
    assert run.returncode == 0, run.stderr
    assert "Objectives no activity supports: IMO 3.3, IMO 4.3" in md.read_text()
    run = planassist("map", "--activities", str(tmp_path / "missing.csv"), "--objectives", str(OBJECTIVES), env=env)
    assert run.returncode == 1 and "missing.csv: no such file" in run.stderr and "Traceback" not in run.stderr
