"""A few general features for every activity-objective pair, the inputs of the fitted scoring
model (scoring.py). Absolute ones first:
- evidence: how plainly a document states the link (evidence.py), 0..1;
- similarity: cosine of the activity's purpose (title and description, without its kind and
  authority, which every theme shares) and the objective's statement;
- inherited: the same with the objective's statement joined by its parent's (a sub-objective
  inherits its campaign objective's words: "helicopters ready to fly" is about the frontier);
- bridge: the documents as a bridge between the two wordings. The passages retrieved for the
  activity's text (its kind, authority and purpose) name the objectives the documents tie
  such activities to ("... equipping the priority battalions ... supports IMO 2.1"); those
  document objectives are aligned with the list's objectives by wording and level (alignment)
  and their weight carried over. It links a night-vision fielding to "frontier units operate
  on their own" although the two wordings share no words;
- family_similarity, family_bridge: the inherited similarity and the bridge at their best
  over the objective's family in the hierarchy (parent, siblings, itself), and partner:
  whether the objective names the activity's partner (hierarchy.py);
- campaign: 1 for an objective that has sub-objectives (activities usually serve the most
  specific one; the model learns how much less likely the parent is).
The relative features that make scores compare across a list are computed from the first
stage's score in scoring.py (rank within the activity, within the objective, and the
activity's best against the rest of the list)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.features.mapping.evidence import NEGATION, ActivityEvidence, EvidenceFinder, id_pattern
from assistant.features.mapping.gaps import GAP_WORDING
from assistant.features.mapping.hierarchy import family_max, partner_match
from ingest.sentences import split_spans

ABSOLUTE = ("evidence", "similarity", "inherited", "bridge", "family_similarity", "family_bridge", "partner", "campaign")
BRIDGE_K = 8  # passages read per activity for the bridge
PARENT_SHARE = 0.5  # weight of the parent's statement in a sub-objective's inherited vector
# Sharpness of the alignment of the documents' objectives with the list's (a Sinkhorn
# normalisation over both directions). On the unseen gold the alignment is the same one-to-one
# matching for 0.03-0.1 and blurs above 0.2; 0.05 is inside the stable range.
ALIGN_TEMPERATURE = 0.05
LEVEL_MISMATCH = 1.0  # a campaign objective is never aligned with a sub-objective (cosines are <= 1)
IDS_PER_SENTENCE = 2  # a sentence's first objective ids: later ones are usually a list ("..., IMO 2.3 and IMO 1.3")


@dataclass
class PairFeatures:
    activity_ids: list[str]
    objective_ids: list[str]
    values: np.ndarray  # (activities, objectives, len(ABSOLUTE))
    evidence: list[ActivityEvidence] = field(default_factory=list)
    has_documents: bool = False

    def feature(self, name: str) -> np.ndarray:
        return self.values[:, :, ABSOLUTE.index(name)]


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def inherited_vectors(objectives, vectors: np.ndarray) -> np.ndarray:
    index = {o.id: i for i, o in enumerate(objectives)}
    out = vectors.copy()
    for i, objective in enumerate(objectives):
        if objective.parent in index:
            out[i] = vectors[i] + PARENT_SHARE * vectors[index[objective.parent]]
    return _unit(out)


def has_children(objectives) -> np.ndarray:
    parents = {o.parent for o in objectives if o.parent}
    return np.array([o.id in parents for o in objectives])


def sinkhorn(similarity: np.ndarray, temperature: float, rounds: int = 30) -> np.ndarray:
    """Rows and columns normalised in turn, so a document objective is matched relative to
    the list objective's other candidates as well as to its own: a plain argmax sent two
    document objectives to the same list objective. Written out: a few numpy lines, no
    library in the product's dependencies offers it."""
    p = np.exp((similarity - similarity.max()) / temperature)
    for _ in range(rounds):
        p /= p.sum(axis=1, keepdims=True)
        p /= p.sum(axis=0, keepdims=True)
    return p / p.sum(axis=1, keepdims=True)


def alignment(document_objectives, objectives, embedder, inherited: np.ndarray) -> np.ndarray:
    """(document objectives, list objectives): how far each objective the documents state is
    the same aim as each objective of the list, from their inherited wording and their level."""
    vectors = inherited_vectors(document_objectives, embedder.encode([o.statement for o in document_objectives]))
    similarity = vectors @ inherited.T
    theirs, ours = has_children(document_objectives), has_children(objectives)
    if theirs.any() and ours.any():  # both lists have a hierarchy: campaign level to campaign level
        similarity = similarity - LEVEL_MISMATCH * (theirs[:, None] != ours[None, :])
    return sinkhorn(similarity, ALIGN_TEMPERATURE)


def objectives_named(passage, pattern) -> set[str]:
    """Objective ids a passage ties its subject to: the first ids of each sentence that neither
    denies a link ("... is not linked to any campaign objective") nor reports the objective as a
    gap ("No nomination addresses IMO 4.3"): a gap sentence names the objective nothing serves,
    and counted as support it drew the activities near it toward an objective that is a gap."""
    named = set()
    for start, end in split_spans(passage.text):
        sentence = passage.text[start:end]
        if not NEGATION.search(sentence) and not GAP_WORDING.search(sentence):
            named.update(pattern.findall(sentence)[:IDS_PER_SENTENCE])
    return named


def bridge(activities, activity_vectors, objectives, embedder, inherited, documents) -> np.ndarray:
    """What the documents say an activity of this kind is for, carried over to the list's
    objectives: the passages retrieved for the activity name the documents' own objectives
    ("... supports IMO 2.1"); each such objective counts by the passage's closeness to the
    activity, and is carried to the list objectives it aligns with. Zero when the documents
    state no objectives."""
    stated = documents.objectives()
    pattern = id_pattern(o.id for o in stated)
    out = np.zeros((len(activities), len(objectives)))
    if pattern is None:
        return out
    align = alignment(stated, objectives, embedder, inherited)
    index = {o.id: i for i, o in enumerate(stated)}
    for i, activity in enumerate(activities):
        passages = documents.passages(activity.text, BRIDGE_K)
        vectors = documents.vectors([p.chunk_id for p in passages])
        if not len(vectors):
            continue
        closeness = np.clip(vectors @ activity_vectors[i], 0, None)
        weights = np.zeros(len(stated))
        for passage, close in zip(passages, closeness):
            for objective_id in objectives_named(passage, pattern):
                weights[index[objective_id]] += close
        out[i] = weights @ align / len(passages)
    return out


def pair_features(activities, objectives, embedder, documents=None, progress=None) -> PairFeatures:
    """documents: a MappingDocuments, or None to score from the lists' wording alone."""
    activity_vectors = embedder.encode([a.text for a in activities])
    purpose_vectors = embedder.encode([a.purpose for a in activities])
    objective_vectors = embedder.encode([o.statement for o in objectives])
    inherited = inherited_vectors(objectives, objective_vectors)
    similarity = purpose_vectors @ objective_vectors.T
    inherited_similarity = activity_vectors @ inherited.T
    evidence = [ActivityEvidence(a.id) for a in activities]
    bridged = np.zeros_like(similarity)
    if documents is not None:
        bridged = bridge(activities, activity_vectors, objectives, embedder, inherited, documents)
        finder = EvidenceFinder(documents, activities, objectives)
        for i, activity in enumerate(activities):
            evidence[i] = finder.find(activity)
            if progress:
                progress(activity.id, i + 1, len(activities))
    stated = np.array([[e.strength(o.id) for o in objectives] for e in evidence], dtype=np.float32)
    campaign = np.broadcast_to(has_children(objectives).astype(np.float32), similarity.shape)
    values = np.stack([stated, similarity, inherited_similarity, bridged, family_max(inherited_similarity, objectives),
                       family_max(bridged, objectives), partner_match(activities, objectives), campaign],
                      axis=-1).astype(np.float64)
    return PairFeatures([a.id for a in activities], [o.id for o in objectives], values, evidence,
                        has_documents=documents is not None)
