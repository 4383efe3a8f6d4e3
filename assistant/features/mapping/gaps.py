"""The gaps a planner acts on: activities that support nothing, objectives nothing supports,
and objectives supported only weakly."""

from __future__ import annotations

import re


def find_gaps(activity_links, objectives) -> dict:
    links_to: dict[str, list] = {o.id: [] for o in objectives}
    for activity in activity_links:
        for link in activity.links:
            links_to.setdefault(link.objective_id, []).append(link)
    children: dict[str, list[str]] = {}
    for o in objectives:
        if o.parent:
            children.setdefault(o.parent, []).append(o.id)

    def covered(oid: str) -> bool:
        # an objective is covered by its own links or through any of its sub-objectives
        return bool(links_to.get(oid)) or any(covered(c) for c in children.get(oid, []))

    orphans = [a.activity_id for a in activity_links if not a.links]
    uncovered = [o.id for o in objectives if not covered(o.id)]
    weak = []
    for o in objectives:
        if not covered(o.id):
            continue
        own = links_to.get(o.id, [])
        strong = [l for l in own if l.contribution != "relationship" and not l.needs_review]
        # weak: covered, but its own links are relationship-only or unsure, or one of its
        # sub-objectives has no support at all
        if (own and not strong) or any(not covered(c) for c in children.get(o.id, [])):
            weak.append(o.id)
    return {"orphan_activities": orphans, "uncovered_objectives": uncovered, "weak_objectives": weak}


GAP_WORDING = re.compile(r"\b(no (?:nomination|activity|activities|proposal|program)|not (?:addressed|covered|supported)|"
                         r"gaps?|unaddressed|uncovered|nothing)\b", re.I)
EXPLANATION_K = 6  # passages read per uncovered objective


def explain_gaps(gaps: dict, activity_links, objectives, documents) -> dict:
    """A document sentence for each gap that has one: for an orphan, the sentence that says
    it supports no objective (found with its evidence); for an uncovered objective, a sentence
    naming the objective's id with gap wording ("No nomination addresses IMO 3.3 ...")."""
    notes = {a.activity_id: a.explanation for a in activity_links
             if a.activity_id in gaps["orphan_activities"] and a.explanation is not None}
    if documents is None:
        return notes
    from assistant.core.citing import citation_for
    from assistant.features.mapping.evidence import id_pattern
    from ingest.sentences import split_spans

    by_id = {o.id: o for o in objectives}
    for objective_id in gaps["uncovered_objectives"]:
        named = id_pattern([objective_id])
        for passage in documents.passages(f"{objective_id} {by_id[objective_id].statement} gap", EXPLANATION_K):
            span = next(((s, e) for s, e in split_spans(passage.text)
                         if named.search(passage.text[s:e]) and GAP_WORDING.search(passage.text[s:e])), None)
            if span:
                notes[objective_id] = citation_for(1, passage, span[0], span[1], 1.0)
                break
    return notes
