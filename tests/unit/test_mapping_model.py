"""The mapping's fitted scoring (assistant/features/mapping/scoring.py, fitting.py) and its matrix
(matrix.py, the XLSX sheet) on small hand-made inputs: plumbing, not quality (the gold test,
tests/integration/test_mapping_gold.py, measures that on real documents)."""

from __future__ import annotations

import numpy as np

from assistant.features.mapping.features import ABSOLUTE
from assistant.features.mapping.fitting import GoldSet, figures, fit
from assistant.features.mapping.models import ActivityLinks, Link, Mapping, Objective
from assistant.features.mapping.scoring import Model, decide, links_of, relative_features

SIMILARITY = ABSOLUTE.index("similarity")


def modest_list(rng, activities: int, objectives: int, orphans: int, level: float):
    """A list where every similarity is modest (around `level`), each linked activity a bit
    closer to its one objective than to the others, and the orphans uniformly far."""
    values = np.zeros((activities, objectives, len(ABSOLUTE)))
    labels = np.zeros((activities, objectives))
    for i in range(activities):
        row = level + rng.normal(0, 0.02, objectives)
        if i >= orphans:
            j = i % objectives
            row[j] += 0.12
            labels[i, j] = 1
        else:
            row -= 0.12
        for name in ("similarity", "inherited", "bridge"):
            values[i, :, ABSOLUTE.index(name)] = row
    return values, labels


def test_relative_features_place_each_pair_within_its_row_column_and_list():
    stage1 = np.array([[2.0, 0.0], [1.0, 0.5], [-3.0, -3.5]])
    rel = relative_features(stage1)
    assert rel[0, 0, 1] == 0 and rel[0, 1, 1] == -2.0  # margin below the activity's best
    assert rel[2, 0, 3] < -1 < 0 < rel[0, 0, 3]  # the last activity's best is far below the list's
    assert np.allclose(rel[:, 0, 2].mean(), 0)  # standardised within the objective


def test_a_list_of_modest_similarities_still_gets_ranked_links_and_only_true_orphans():
    """The issue's case: all similarities are modest (0.3 in one list, 0.5 in another), so
    one absolute cut either links nothing or everything; the relative model does neither."""
    rng = np.random.default_rng(0)
    low = GoldSet("low", *modest_list(rng, 20, 5, 3, 0.30))
    high = GoldSet("high", *modest_list(rng, 20, 5, 3, 0.50))
    model = fit([high])  # fitted on one level, applied to the other
    scores, links = links_of(model, low.values)
    measured = figures(links, low.labels, scores)
    assert measured["top1"] >= 0.9 and measured["orphans_found"] == 1.0, measured
    # the absolute rule it replaces: a 0.55 similarity cut links nothing in either list
    assert not (low.values[:, :, SIMILARITY] >= 0.55).any()


def test_decide_keeps_stated_links_and_drops_only_activities_low_against_the_list():
    model = Model({}, {}, link_stated=0.3, link_unstated=0.6, orphan_z=-1.0, review=0.8)
    stage1 = np.array([[2.0, 1.0], [2.1, 0.0], [1.9, 0.5], [-3.0, -4.0], [-3.5, -3.0]])
    scores = np.array([[0.5, 0.4], [0.7, 0.65], [0.4, 0.1], [0.3, 0.1], [0.2, 0.1]])
    evidence = np.zeros_like(scores)
    evidence[4, 1] = 1.0  # a document states this one: never an orphan
    links = decide(model, stage1, scores, evidence)
    assert links.tolist() == [[True, False], [True, True], [True, False], [False, False], [True, False]]


def test_decide_never_orphans_an_activity_a_document_suggests():
    """A document suggesting a link (evidence SUGGESTED..STATED) outweighs a wording far from
    every objective: the renumbered list's activities a document names by title."""
    from assistant.features.mapping.scoring import STATED, SUGGESTED

    model = Model({}, {}, link_stated=0.3, link_unstated=0.6, orphan_z=-1.0, review=0.8)
    stage1 = np.array([[2.0, 1.0], [2.1, 0.0], [1.9, 0.5], [-3.0, -4.0], [-3.5, -3.0]])
    scores = np.array([[0.7, 0.1], [0.7, 0.1], [0.7, 0.1], [0.2, 0.1], [0.1, 0.2]])
    evidence = np.zeros_like(scores)
    evidence[4, 1] = (SUGGESTED + STATED) / 2  # suggested, not stated
    links = decide(model, stage1, scores, evidence)
    assert not links[3].any()  # low against the list and no document: an orphan
    assert links[4].tolist() == [False, True]  # as low, but a document suggests its objective


def tiny_mapping() -> Mapping:
    objectives = [Objective("C1", "Stop smuggling at sea"), Objective("C1.a", "Watch the strait", parent="C1"),
                  Objective("C2", "Courts meet standards")]
    strong = Link("C1.a", 0.9, "direct", "high", "why", False)
    weak = Link("C1", 0.5, "enabling", "low", "why", True)
    activities = [ActivityLinks("X1", "Radar operator course", [strong, weak]),
                  ActivityLinks("X2", "Golf day", [], suggested=[("C1", 0.1)])]
    return Mapping(activities, {"orphan_activities": ["X2"], "uncovered_objectives": ["C2"], "weak_objectives": []},
                   {"link": 0.5, "review": 0.8}, objectives)


def test_matrix_cells_separate_strong_weak_and_suggested():
    from assistant.features.mapping import matrix

    kinds = {(c.activity_id, c.objective_id): c.kind for c in matrix.cells(tiny_mapping())}
    assert kinds[("X1", "C1.a")] == matrix.STRONG and kinds[("X1", "C1")] == matrix.WEAK
    assert kinds[("X2", "C1")] == matrix.SUGGESTED and kinds[("X1", "C2")] == matrix.EMPTY


def test_xlsx_matrix_labels_every_row_and_column_and_colours_like_the_page(tmp_path):
    import openpyxl

    from assistant.features.mapping import matrix
    from assistant.features.mapping.export import to_xlsx

    to_xlsx(tiny_mapping(), tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["Matrix"]
    colour = lambda cell: cell.fill.start_color.rgb[-6:].lower()  # noqa: E731
    assert [sheet.cell(1, c).value for c in (2, 3, 4)] == ["C1 · Stop smuggling at sea", "C1.a · Watch the strait",
                                                          "C2 · Courts meet standards"]
    assert sheet.cell(2, 1).value == "X1 · Radar operator course"
    assert sheet.cell(3, 1).value.startswith("X2 · Golf day") and colour(sheet.cell(3, 1)) == matrix.GAP_COLOUR[1:]
    assert colour(sheet.cell(2, 3)) == matrix.COLOURS[matrix.STRONG][1:] and sheet.cell(2, 3).value == 0.9
    assert colour(sheet.cell(2, 2)) == matrix.COLOURS[matrix.WEAK][1:]
    assert colour(sheet.cell(3, 2)) == matrix.COLOURS[matrix.SUGGESTED][1:]
    assert colour(sheet.cell(1, 4)) == matrix.GAP_COLOUR[1:]  # the uncovered objective's column


def test_the_grid_counted_per_activity_chooses_what_deciding_every_triple_chooses(monkeypatch):
    """fitting._grid_value sums per-activity counts instead of deciding each threshold triple
    over whole lists; on lists with stated, unstated and orphan activities it must pick the
    same thresholds as the plain loop it replaced."""
    from assistant.features.mapping import fitting

    monkeypatch.setattr(fitting, "GRID", np.round(np.arange(0.1, 0.91, 0.2), 3))
    monkeypatch.setattr(fitting, "Z_GRID", np.round(np.arange(-2.0, 0.01, 0.5), 2))
    rng = np.random.default_rng(3)
    sets = []
    for n in range(3):
        values, labels = modest_list(rng, 18, 5, 3, 0.3 + 0.1 * n)
        labels[5:9, 0] = 1  # a few second links
        values[:, :, ABSOLUTE.index("evidence")] = labels * (rng.random(labels.shape) < 0.5) * (n == 0)
        sets.append(GoldSet(f"list{n}", values, labels))
    model = fit(sets)
    from assistant.features.mapping.scoring import expanded_features, linear, sigmoid

    first = [linear(model.stage1, expanded_features(s.values)) for s in sets]
    scores = [sigmoid(linear(model.stage2, relative_features(f))) for f in first]
    grid = np.mean([fitting._grid_value((model.stage1, model.stage2), f, p, s.values[:, :, 0], s.labels)
                    for f, p, s in zip(first, scores, sets)], axis=0)
    for a, stated in enumerate(fitting.GRID):
        for b, unstated in enumerate(fitting.GRID):
            for c, orphan_z in enumerate(fitting.Z_GRID):
                trial = Model(model.stage1, model.stage2, float(stated), float(unstated), float(orphan_z), 1.0)
                value = np.mean([np.mean(list(figures(decide(trial, f, p, s.values[:, :, 0]), s.labels, p).values()))
                                 for f, p, s in zip(first, scores, sets)])
                assert abs(grid[a, b, c] - value) < 1e-9, (stated, unstated, orphan_z)
    a, b, c = np.unravel_index(int(np.argmax(grid >= grid.max() - 1e-9)), grid.shape)
    assert (model.link_stated, model.link_unstated, model.orphan_z) == (fitting.GRID[a], fitting.GRID[b], fitting.Z_GRID[c])
