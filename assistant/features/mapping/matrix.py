"""The activity x objective matrix a planner reads, shared by the Mapping page and the XLSX
export so both label and colour it the same way: every row and column labelled (id and short
title), each cell one of four kinds, orphan rows and uncovered columns flagged, and the gap
lists with titles and the document sentence that explains a gap, where one does."""

from __future__ import annotations

from dataclasses import dataclass

STRONG, WEAK, SUGGESTED, EMPTY = "strong link", "weak link", "suggested", ""
KINDS = (STRONG, WEAK, SUGGESTED)
# The same three colours on the page and in the workbook: dark for a link a document states
# or the model is sure of, light for one to review, a pale amber for an unlinked next-best
# candidate, so the three never read as shades of one scale.
COLOURS = {STRONG: "#1f4e8c", WEAK: "#8fb3e0", SUGGESTED: "#f3d9a4"}
GAP_COLOUR = "#f8d7da"  # orphan rows and uncovered columns
TITLE_CHARS = 38


def short(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:-") + "…"


@dataclass(frozen=True)
class Cell:
    activity_id: str
    objective_id: str
    kind: str
    score: float | None
    link: object = None  # the Link, for a strong or weak cell


def activity_label(activity) -> str:
    return f"{activity.activity_id} · {short(activity.title)}"


def objective_label(objective) -> str:
    return f"{objective.id} · {short(objective.statement, 30)}"


def cells(mapping) -> list[Cell]:
    out = []
    for activity in mapping.activities:
        links = {l.objective_id: l for l in activity.links}
        suggested = dict(activity.suggested)
        for objective in mapping.objectives:
            link = links.get(objective.id)
            if link is not None:
                kind = WEAK if link.needs_review else STRONG
                out.append(Cell(activity.activity_id, objective.id, kind, link.score, link))
            elif objective.id in suggested:
                out.append(Cell(activity.activity_id, objective.id, SUGGESTED, suggested[objective.id]))
            else:
                out.append(Cell(activity.activity_id, objective.id, EMPTY, None))
    return out


def gap_items(mapping) -> dict[str, list[tuple[str, str, object]]]:
    """{"orphans" | "uncovered" | "weak": [(id, title, explaining Citation or None)]}."""
    titles = {a.activity_id: a.title for a in mapping.activities}
    statements = {o.id: o.statement for o in mapping.objectives}
    notes = mapping.gap_notes or {}
    return {"orphans": [(i, titles.get(i, ""), notes.get(i)) for i in mapping.gaps["orphan_activities"]],
            "uncovered": [(i, statements.get(i, ""), notes.get(i)) for i in mapping.gaps["uncovered_objectives"]],
            "weak": [(i, statements.get(i, ""), None) for i in mapping.gaps["weak_objectives"]]}


def where(citation) -> str:
    return f"{citation.title}" + (f", paragraph {citation.section}" if citation.section else "") + f", page {citation.page}"
