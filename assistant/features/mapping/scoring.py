"""One score per activity-objective pair that compares across the list, from a small model
fitted on the mapping gold sets by scripts/fit_mapping.py (parameters in fitted_mapping.json).

Stage 1: a logistic model over each feature of features.py (document evidence, similarity,
hierarchy-inherited similarity, bridge, and the last two at their best over the objective's
family) taken three ways: as it is, as its
margin below the activity's best objective, and the activity's best against the rest of the
list (a robust z over activities); plus the partner match and the campaign level. Not
standardised against the objective's other candidates: a campaign objective's broad wording is
a little similar to everything, so within its column any activity stood out and campaign
objectives took the first place of activities built for one of their sub-objectives
(leave-one-list-out, the mean of the four figures over the two unseen-style lists held out:
0.600 with that view, 0.735 without; the model before this change, 0.661). Stage 2: a logistic model over the stage-1 score placed the four ways
(as it is, within its row, within its column, the activity's best within the list).
So scores compare across the list: "all similarities are modest" no longer reads as
"supports nothing".

Decisions, with every threshold from the fit:
- an activity a document ties to an objective (evidence >= STATED) keeps its best objective
  and adds any other at or above `link_stated`;
- any other activity is an orphan when its best stage-1 score is low relative to the list's
  (robust z below `orphan_z`): a social outing among training events, not an activity whose
  similarities are all modest; otherwise it keeps its best objective and adds any other at or
  above `link_unstated`. One a document suggests (evidence >= SUGGESTED) is never an orphan:
  its wording may be far from every objective (the documents name it by title, in their own
  words), but a document ties it to one (renumbered list held out, top-1 0.821 -> 0.893).

Before this model (issue 15) a fixed 0.7 evidence + 0.3 similarity score with a 0.5 cut (0.55
for wording alone) gave 44 of the 47 activities of evals/gold/mapping_unseen.csv no objective
(top-1 0.15); the figures before and after are in README (Mapping) and printed by
tests/integration/test_mapping_gold.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.features.mapping.features import ABSOLUTE

PARAMETERS = Path(__file__).resolve().parent / "fitted_mapping.json"
SCALED = ABSOLUTE[:6]  # the features taken three ways; the last two (partner, campaign) as they are
VIEWS = ("value", "row_margin", "column_z", "list_z")
STAGE1_VIEWS = ("value", "row_margin", "list_z")  # see the module's docstring for column_z
EXPANDED = tuple(f"{f}:{v}" for f in SCALED for v in STAGE1_VIEWS) + ABSOLUTE[len(SCALED):]
RELATIVE = tuple(f"stage1:{v}" for v in VIEWS)
STATED = 0.75  # evidence at or above this: a document names the activity and the objective together
SUGGESTED = 0.4  # evidence at or above this: a document suggests the link (as before issue 15)


@dataclass(frozen=True)
class Model:
    stage1: dict  # {"weights", "bias", "mean", "scale"} over EXPANDED
    stage2: dict  # the same over RELATIVE
    link_stated: float
    link_unstated: float
    orphan_z: float
    review: float
    fitted_on: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"stage1": self.stage1, "stage2": self.stage2, "link_stated": self.link_stated,
                "link_unstated": self.link_unstated, "orphan_z": self.orphan_z, "review": self.review,
                "fitted_on": list(self.fitted_on), "expanded": list(EXPANDED), "relative": list(RELATIVE)}

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        if list(data.get("expanded", ())) != list(EXPANDED) or list(data.get("relative", ())) != list(RELATIVE):
            raise ValueError("fitted_mapping.json was fitted on other features: run scripts/fit_mapping.py")
        return cls(data["stage1"], data["stage2"], float(data["link_stated"]), float(data["link_unstated"]),
                   float(data["orphan_z"]), float(data["review"]), tuple(data.get("fitted_on", ())))

    @property
    def thresholds(self) -> dict:
        return {"link": self.link_unstated, "link_stated": self.link_stated, "orphan_z": self.orphan_z,
                "review": self.review}


def load_model(path: Path = PARAMETERS) -> Model:
    return Model.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def linear(params: dict, x: np.ndarray) -> np.ndarray:
    mean, scale = np.asarray(params["mean"]), np.asarray(params["scale"])
    return ((x - mean) / scale) @ np.asarray(params["weights"]) + params["bias"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def list_z(x: np.ndarray) -> np.ndarray:
    """Each activity's best value against the other activities' (robust z: the orphans and the
    stated links are the outliers the mean and deviation would follow), shape (activities, 1)."""
    best = x.max(axis=1, keepdims=True)
    median = np.median(best)
    spread = 1.4826 * np.median(np.abs(best - median))
    return (best - median) / (spread if spread > 1e-9 else 1.0)


def views(x: np.ndarray) -> list[np.ndarray]:
    """A (activities, objectives) matrix as it is, within its row, its column and the list."""
    column_mean, column_std = x.mean(axis=0, keepdims=True), x.std(axis=0, keepdims=True)
    return [x, x - x.max(axis=1, keepdims=True), (x - column_mean) / np.where(column_std > 1e-9, column_std, 1.0),
            np.broadcast_to(list_z(x), x.shape)]


def expanded_features(values: np.ndarray) -> np.ndarray:
    """(activities, objectives, len(ABSOLUTE)) -> (activities, objectives, len(EXPANDED))."""
    keep = [VIEWS.index(v) for v in STAGE1_VIEWS]
    parts = [views(values[:, :, k])[n] for k in range(len(SCALED)) for n in keep]
    parts += [values[:, :, k] for k in range(len(SCALED), values.shape[-1])]
    return np.stack(parts, axis=-1)


def relative_features(stage1: np.ndarray) -> np.ndarray:
    """(activities, objectives) stage-1 scores -> (activities, objectives, len(RELATIVE))."""
    return np.stack(views(stage1), axis=-1)


def stage_scores(model: Model, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stage-1 scores and stage-2 link probabilities of every pair."""
    stage1 = linear(model.stage1, expanded_features(values))
    return stage1, sigmoid(linear(model.stage2, relative_features(stage1)))


def decide(model: Model, stage1: np.ndarray, scores: np.ndarray, evidence: np.ndarray) -> np.ndarray:
    """Which pairs are links (see the module's docstring)."""
    stated = evidence.max(axis=1) >= STATED
    links = np.where(stated[:, None], scores >= model.link_stated, scores >= model.link_unstated)
    if not scores.size:
        return links
    suggested = evidence.max(axis=1) >= SUGGESTED
    keep = stated | suggested | (list_z(stage1)[:, 0] >= model.orphan_z)
    rows = np.arange(scores.shape[0])
    links[rows, scores.argmax(axis=1)] |= keep
    links[~keep] = False
    return links


def links_of(model: Model, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(link probabilities, link decisions) for features.PairFeatures.values."""
    stage1, scores = stage_scores(model, values)
    return scores, decide(model, stage1, scores, values[:, :, ABSOLUTE.index("evidence")])


# Contribution types as planners use them: relationship-building engagements, indirect
# (enabling) support such as education seats and sustainment, and the rest direct.
RELATIONSHIP = re.compile(r"\b(key leader|senior.leader|engagements?|exchanges?|goodwill|relationship|visits?|KLE|"
                          r"State Partnership)\b", re.I)
ENABLING = re.compile(r"\b(IMET|seats?|sustainment|sustain|seminar|information.sharing|secondary benefit|"
                      r"enabl\w*|indirect\w*)\b", re.I)


def contribution(activity, evidence_text: str) -> str:
    """direct | enabling | relationship, from the activity's type and wording and the
    documents' wording of the link."""
    kind = f"{activity.type} {activity.title}"
    if re.search(r"\b(relationship|goodwill)\b", evidence_text, re.I) or RELATIONSHIP.search(kind):
        if not ENABLING.search(kind):
            return "relationship"
    if ENABLING.search(kind) or re.search(r"\b(secondary benefit|enabl\w*|indirect\w*)\b",
                                          f"{activity.description} {evidence_text}", re.I):
        return "enabling"
    return "direct"


def confidence(corpus: float, score: float, review: float, has_documents: bool) -> str:
    if not has_documents:
        return "low"  # wording alone, with no document to check it against
    if corpus >= STATED and score >= review:
        return "high"
    if corpus >= SUGGESTED or score >= review:
        return "medium"
    return "low"
