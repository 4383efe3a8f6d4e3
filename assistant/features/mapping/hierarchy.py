"""Features of a pair taken from the lists' own structure rather than from wording alone:
- family: a score carried over the objective hierarchy. An activity that belongs to a line of
  effort is close to some objective of that line; so each objective also gets the best value
  over its family (its parent, its siblings and itself; for a top objective, itself and its
  children). A boarding course whose wording is nearest to a human-rights objective elsewhere
  in the list is still nearest, as a family, to the maritime line.
- partner: whether the objective names the activity's partner; an objective that names no
  partner takes its nearest ancestor's names ("helicopters ready to fly" under a Zarvian line
  of effort), one that does keeps its own ("Bree boards ships" under a line naming Alba and
  Bree is Bree's). The partner names come from the activity list's own partner column, so no
  name is written here: +1 names one of the activity's partners, -1 names only other partners
  of the list, 0 names none (a regional or institutional objective)."""

from __future__ import annotations

import re

import numpy as np


def families(objectives) -> list[list[int]]:
    """For each objective, the indices of its family (see the module's docstring)."""
    index = {o.id: i for i, o in enumerate(objectives)}
    children: dict[str, list[int]] = {}
    for i, o in enumerate(objectives):
        if o.parent in index:
            children.setdefault(o.parent, []).append(i)
    out = []
    for i, o in enumerate(objectives):
        if o.parent in index:
            out.append([index[o.parent], *children[o.parent]])
        else:
            out.append([i, *children.get(o.id, [])])
    return out


def family_max(matrix: np.ndarray, objectives) -> np.ndarray:
    """(activities, objectives) -> the best value over each objective's family."""
    if not matrix.size:
        return matrix.copy()
    return np.stack([matrix[:, members].max(axis=1) for members in families(objectives)], axis=1)


def partners_of(activity) -> set[str]:
    return {p.strip() for p in re.split(r"[;,/]", activity.partner or "") if p.strip()}


def _names(text: str, partners: set[str]) -> set[str]:
    return {p for p in partners if re.search(rf"\b{re.escape(p)}\b", text, re.I)}


def partner_match(activities, objectives) -> np.ndarray:
    """(activities, objectives) in {-1, 0, 1} (see the module's docstring)."""
    every = set().union(*(partners_of(a) for a in activities)) if activities else set()
    by_id = {o.id: o for o in objectives}

    def nearest_names(objective) -> set[str]:
        seen = set()
        while objective is not None and objective.id not in seen:
            seen.add(objective.id)
            names = _names(objective.statement, every)
            if names:
                return names
            objective = by_id.get(objective.parent)
        return set()

    named = [nearest_names(o) for o in objectives]
    out = np.zeros((len(activities), len(objectives)))
    for i, activity in enumerate(activities):
        own = partners_of(activity)
        for j, names in enumerate(named):
            out[i, j] = 1.0 if names & own else (-1.0 if names and own else 0.0)
    return out
