"""Activities x objectives -> ranked links with evidence, and the gaps."""

from __future__ import annotations

import numpy as np

from assistant.features.mapping import scoring
from assistant.features.mapping.documents import MappingDocuments
from assistant.features.mapping.evidence import ActivityEvidence
from assistant.features.mapping.features import pair_features
from assistant.features.mapping.gaps import explain_gaps, find_gaps
from assistant.features.mapping.models import ActivityLinks, Link, Mapping
from ingest.errors import UserError



def build_mapping(activities, objectives, embedder, search=None, problems=(), progress=None,
                  model: scoring.Model | None = None) -> Mapping:
    """search: an assistant.core.retrieval.HybridSearch over the documents, or None to score from
    the lists' own text only. model: the fitted scoring model (default: fitted_mapping.json)."""
    if not activities:
        raise UserError("no usable activities in the list")
    if not objectives:
        raise UserError("no usable objectives in the list")
    model = model or scoring.load_model()
    documents = MappingDocuments(search) if search is not None else None
    features = pair_features(activities, objectives, embedder, documents, progress)
    return mapping_from_features(activities, objectives, features, model, documents, problems)


def mapping_from_features(activities, objectives, features, model, documents=None, problems=()) -> Mapping:
    """The Mapping for features already computed (the gold test and the fit reuse them)."""
    scores, links_matrix = scoring.links_of(model, features.values)
    by_id = {o.id: o for o in objectives}
    results = []
    for i, activity in enumerate(activities):
        evidence = features.evidence[i] if features.evidence else ActivityEvidence(activity.id)
        links = []
        for j in np.argsort(-scores[i], kind="stable"):
            if not links_matrix[i, j]:
                continue
            objective = objectives[j]
            corpus = float(features.feature("evidence")[i, j])
            similarity = float(features.feature("similarity")[i, j])
            bridge = float(features.feature("bridge")[i, j])
            score = float(scores[i, j])
            confidence = scoring.confidence(corpus, score, model.review, features.has_documents)
            citations = evidence.citations(objective.id)
            links.append(Link(
                objective_id=objective.id, score=round(score, 3),
                contribution=scoring.contribution(activity, evidence.wording(objective.id)),
                confidence=confidence,
                rationale=rationale(activity, by_id[objective.id], corpus, similarity, bridge, citations),
                needs_review=confidence == "low" or score < model.review,
                evidence=citations, semantic=round(similarity, 3), corpus=round(corpus, 3)))
        # the next-best unlinked objective, as a suggestion: for an orphan (how far it was from
        # a link) or when it is a near miss (at least half the link threshold)
        unlinked = [j for j in np.argsort(-scores[i], kind="stable") if not links_matrix[i, j]]
        suggested = [(objectives[j].id, round(float(scores[i, j]), 3)) for j in unlinked[:1]
                     if not links or scores[i, j] >= model.link_unstated / 2]
        results.append(ActivityLinks(activity.id, activity.title, links, suggested=suggested,
                                     explanation=evidence.explanation()))
    gaps = find_gaps(results, objectives)
    return Mapping(activities=results, gaps=gaps,
                   thresholds=model.thresholds,
                   objectives=list(objectives), problems=list(problems),
                   gap_notes=explain_gaps(gaps, results, objectives, documents))


def rationale(activity, objective, corpus: float, similarity: float, bridge: float, citations) -> str:
    if citations:
        c = citations[0]
        where = f"{c.title}" + (f" paragraph {c.section}" if c.section else "") + f" (page {c.page})"
        strength = "states" if corpus >= scoring.STATED else "suggests"
        return f"{where} {strength} that {activity.id} supports {objective.id}; description similarity {similarity:.2f}."
    return (f"No document states this link; ranked on {activity.id}'s wording against {objective.id} and its "
            f"parent (similarity {similarity:.2f}) and on the passages the documents return for both "
            f"(bridge {bridge:.2f}), relative to the other activities and objectives.")
