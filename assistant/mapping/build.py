"""Activities x objectives -> ranked links with evidence, and the gaps."""

from __future__ import annotations

from assistant.mapping import scoring
from assistant.mapping.evidence import ActivityEvidence, EvidenceFinder
from assistant.mapping.gaps import find_gaps
from assistant.mapping.models import ActivityLinks, Link, Mapping
from ingest.errors import UserError


def objective_texts(objectives) -> list[str]:
    return [o.statement for o in objectives]


def build_mapping(activities, objectives, embedder, search=None, problems=(), progress=None) -> Mapping:
    """search: an assistant.retrieval.HybridSearch over the documents, or None to score from
    the lists' own text only."""
    if not activities:
        raise UserError("no usable activities in the list")
    if not objectives:
        raise UserError("no usable objectives in the list")
    semantic = embedder.encode([a.text for a in activities]) @ embedder.encode(objective_texts(objectives)).T
    finder = EvidenceFinder(search, activities, objectives) if search is not None else None
    by_id = {o.id: o for o in objectives}
    results = []
    for i, activity in enumerate(activities):
        evidence = finder.find(activity) if finder else ActivityEvidence(activity.id)
        links = []
        for j, objective in enumerate(objectives):
            corpus, similarity = evidence.strength(objective.id), float(semantic[i, j])
            if evidence.clues:
                score, threshold = scoring.combine(corpus, similarity), scoring.LINK_THRESHOLD
            else:  # the documents say nothing about this activity: a suggestion from the wording
                score, threshold = similarity, scoring.SEMANTIC_ONLY_THRESHOLD
            if score < threshold:
                continue
            confidence = scoring.confidence(corpus, similarity, score) if evidence.clues else "low"
            citations = evidence.citations(objective.id)
            links.append(Link(
                objective_id=objective.id, score=round(score, 3),
                contribution=scoring.contribution(activity, evidence.wording(objective.id)),
                confidence=confidence, rationale=rationale(activity, by_id[objective.id], corpus, similarity, citations),
                needs_review=confidence == "low" or score < scoring.REVIEW_THRESHOLD,
                evidence=citations, semantic=round(similarity, 3), corpus=round(corpus, 3)))
        links.sort(key=lambda l: (-l.score, -l.semantic))
        results.append(ActivityLinks(activity.id, activity.title, links))
        if progress:
            progress(activity.id, i + 1, len(activities))
    return Mapping(activities=results, gaps=find_gaps(results, objectives),
                   thresholds={"link": scoring.LINK_THRESHOLD, "review": scoring.REVIEW_THRESHOLD,
                               "semantic_only": scoring.SEMANTIC_ONLY_THRESHOLD},
                   objectives=list(objectives), problems=list(problems))


def rationale(activity, objective, corpus: float, similarity: float, citations) -> str:
    if citations:
        c = citations[0]
        where = f"{c.title}" + (f" paragraph {c.section}" if c.section else "") + f" (page {c.page})"
        strength = "states" if corpus >= 0.75 else "suggests"
        return f"{where} {strength} that {activity.id} supports {objective.id}; description similarity {similarity:.2f}."
    return (f"No document states this link; {activity.id}'s description is close to the wording of "
            f"{objective.id} (similarity {similarity:.2f}).")
