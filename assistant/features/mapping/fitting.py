"""Fitting the scoring model (scoring.py) on gold sets: deterministic, offline, numpy only.

Logistic regression is written out (Newton's method with a small L2 penalty, about 20 lines)
rather than taken from scikit-learn, which the product does not otherwise need: the model has
five and four inputs and a few thousand pairs. Thresholds come from a grid over the fitted
probabilities, maximising the mean over the gold sets of the issue's four figures (top-1, link
precision, link recall, orphans found), so no set's size outweighs another's; the grid is
counted per activity (_grid_value), so a fit takes a second rather than deciding every one of
its 7,600 threshold triples over every set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.features.mapping.features import ABSOLUTE
from assistant.features.mapping.scoring import (STATED, Model, decide, expanded_features, linear,
                                                relative_features, sigmoid)

L2 = 1.0  # penalty on standardised weights; 0.1-10 change no gold figure, it keeps Newton stable
GRID = np.round(np.arange(0.05, 0.951, 0.05), 3)  # link probability thresholds
Z_GRID = np.round(np.arange(-4.0, 0.01, 0.2), 2)  # orphan thresholds, in robust z over the list
PRECISE = 0.95  # `review`: the lowest probability above which the training links were this precise


@dataclass
class GoldSet:
    name: str
    values: np.ndarray  # (activities, objectives, features) from features.pair_features
    labels: np.ndarray  # (activities, objectives) 1 for a gold link


def logistic(x: np.ndarray, y: np.ndarray, weights_per_row: np.ndarray) -> dict:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = sigmoid(z @ w)
        gradient = z.T @ (weights_per_row * (p - y)) + penalty * w
        hessian = (z * (weights_per_row * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return {"weights": [round(float(v), 6) for v in w[:-1]], "bias": round(float(w[-1]), 6),
            "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale]}


def _stack(arrays: list[np.ndarray], sets: list[GoldSet]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked pairs, each set weighted to the same total so a long list does not dominate."""
    x = np.vstack([a.reshape(-1, a.shape[-1]) for a in arrays])
    y = np.concatenate([s.labels.reshape(-1) for s in sets])
    w = np.concatenate([np.full(s.labels.size, 1000.0 / s.labels.size) for s in sets])
    return x, y, w


def figures(links: np.ndarray, labels: np.ndarray, scores: np.ndarray) -> dict:
    """The issue's figures for one set, from boolean link and gold matrices."""
    has_gold = labels.any(axis=1)
    has_link = links.any(axis=1)
    best = np.where(links, scores, -np.inf).argmax(axis=1)
    rows = np.arange(len(labels))
    top_right = np.where(has_gold, has_link & labels[rows, best].astype(bool), ~has_link)
    true = int((links & labels.astype(bool)).sum())
    orphans = ~has_gold
    return {"top1": float(top_right.mean()),
            "precision": true / int(links.sum()) if links.sum() else 0.0,
            "recall": true / int(labels.sum()) if labels.sum() else 0.0,
            "orphans_found": float((~has_link[orphans]).mean()) if orphans.any() else 1.0}


def _row_counts(links: np.ndarray, labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per activity: (top-1 right, true links, links, gold links, orphan found, is orphan);
    figures() of any set of rows is a ratio of their sums."""
    has_gold = labels.any(axis=1)
    has_link = links.any(axis=1)
    best = np.where(links, scores, -np.inf).argmax(axis=1)
    top_right = np.where(has_gold, has_link & labels[np.arange(len(labels)), best].astype(bool), ~has_link)
    return np.stack([top_right, (links & labels.astype(bool)).sum(axis=1), links.sum(axis=1), labels.sum(axis=1),
                     ~has_gold & ~has_link, ~has_gold], axis=-1).astype(float)


def _figures_of_counts(c: np.ndarray, rows: int) -> np.ndarray:
    """The mean of figures()'s four values from summed _row_counts (last axis), any leading shape."""
    top1 = c[..., 0] / rows
    precision = np.divide(c[..., 1], c[..., 2], out=np.zeros_like(top1), where=c[..., 2] > 0)
    recall = np.divide(c[..., 1], c[..., 3], out=np.zeros_like(top1), where=c[..., 3] > 0)
    orphans = np.divide(c[..., 4], c[..., 5], out=np.ones_like(top1), where=c[..., 5] > 0)
    return (top1 + precision + recall + orphans) / 4


def _grid_value(model_parts, first: np.ndarray, scores: np.ndarray, evidence: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mean figure of one set for every (link_stated, link_unstated, orphan_z) of the grid,
    shape (GRID, GRID, Z_GRID). decide() treats each activity on its own (the list's robust z
    comes from stage-1 scores, not from the thresholds), and an activity a document ties to
    an objective depends on link_stated only, any other on link_unstated and orphan_z: so the
    counts are summed from two small grids instead of deciding the whole product."""
    stage1, stage2 = model_parts
    stated = evidence.max(axis=1) >= STATED
    by_stated = np.stack([_row_counts(decide(Model(stage1, stage2, float(t), 1.0, 0.0, 1.0), first, scores, evidence),
                                      labels, scores)[stated].sum(axis=0) for t in GRID])
    by_unstated = np.stack([np.stack([
        _row_counts(decide(Model(stage1, stage2, 1.0, float(t), float(z), 1.0), first, scores, evidence),
                    labels, scores)[~stated].sum(axis=0) for z in Z_GRID]) for t in GRID])
    return _figures_of_counts(by_stated[:, None, None, :] + by_unstated[None, :, :, :], len(labels))


def fit(sets: list[GoldSet]) -> Model:
    x, y, w = _stack([expanded_features(s.values) for s in sets], sets)
    stage1 = logistic(x, y, w)
    first = [linear(stage1, expanded_features(s.values)) for s in sets]
    x2, _, _ = _stack([relative_features(f) for f in first], sets)
    stage2 = logistic(x2, y, w)
    scores = [sigmoid(linear(stage2, relative_features(f))) for f in first]
    evidence = [s.values[:, :, ABSOLUTE.index("evidence")] for s in sets]
    value = np.mean([_grid_value((stage1, stage2), f, p, e, s.labels)
                     for f, p, e, s in zip(first, scores, evidence, sets)], axis=0)
    # the first (lowest) thresholds among the best, in the order stated, unstated, orphan_z
    a, b, c = np.unravel_index(int(np.argmax(value >= value.max() - 1e-9)), value.shape)
    chosen = (float(GRID[a]), float(GRID[b]), float(Z_GRID[c]))
    flat_scores = np.concatenate([p.reshape(-1) for p in scores])
    return Model(stage1, stage2, *chosen, review=review_threshold(flat_scores, y, min(chosen[:2])),
                 fitted_on=tuple(s.name for s in sets))


def measure(model: Model, gold: GoldSet) -> dict:
    from assistant.features.mapping.scoring import links_of

    scores, links = links_of(model, gold.values)
    return figures(links, gold.labels, scores)


def review_threshold(scores: np.ndarray, labels: np.ndarray, floor: float) -> float:
    """The lowest grid value at or above `floor` from which the training links were PRECISE
    precise; links below it are flagged for review."""
    for t in GRID[GRID >= floor]:
        chosen = scores >= t
        if chosen.any() and labels[chosen].mean() >= PRECISE:
            return float(t)
    return float(GRID[-1])
