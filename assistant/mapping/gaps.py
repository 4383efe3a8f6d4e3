"""The gaps a planner acts on: activities that support nothing, objectives nothing supports,
and objectives supported only weakly."""

from __future__ import annotations


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
