"""The Mapping page's matrix and gap lists (the page itself, pages/mapping.py, reads the lists
and runs the mapping). Cell kinds, colours and labels come from assistant.features.mapping.matrix so
the page and the XLSX export agree."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from assistant.features.mapping import matrix as mx

ROW_PX = 22  # every activity label fits at 12 px type with this row height
CELL_PARAM = "cell"


def matrix_frame(mapping) -> pd.DataFrame:
    activities = {a.activity_id: a for a in mapping.activities}
    objectives = {o.id: o for o in mapping.objectives}
    orphans = set(mapping.gaps["orphan_activities"])
    uncovered = set(mapping.gaps["uncovered_objectives"])
    rows = []
    for cell in mx.cells(mapping):
        gap = cell.activity_id in orphans or cell.objective_id in uncovered
        rows.append({"activity_id": cell.activity_id, "objective_id": cell.objective_id,
                     "activity": mx.activity_label(activities[cell.activity_id]),
                     "objective": mx.objective_label(objectives[cell.objective_id]),
                     "kind": cell.kind or ("gap" if gap else "none"),
                     "score": cell.score, "label": f"{cell.score:.2f}" if cell.score is not None else "",
                     "title": activities[cell.activity_id].title, "statement": objectives[cell.objective_id].statement})
    return pd.DataFrame(rows)


def matrix_chart(mapping) -> alt.Chart:
    """Rows and columns all labelled; orphan rows and uncovered columns shaded and their labels
    in red; strong, weak and suggested cells in three distinct colours with the score written
    in; a click on a cell selects it (the page shows its evidence)."""
    frame = matrix_frame(mapping)
    activity_order = [mx.activity_label(a) for a in mapping.activities]
    objective_order = [mx.objective_label(o) for o in mapping.objectives]
    orphan_labels = [mx.activity_label(a) for a in mapping.activities if a.activity_id in mapping.gaps["orphan_activities"]]
    uncovered_labels = [mx.objective_label(o) for o in mapping.objectives if o.id in mapping.gaps["uncovered_objectives"]]
    domain = list(mx.KINDS) + ["gap", "none"]
    colours = [mx.COLOURS[k] for k in mx.KINDS] + [mx.GAP_COLOUR, "#fafafa"]
    pick = alt.selection_point(name=CELL_PARAM, fields=["activity_id", "objective_id"], on="click", empty=False)

    def red_if_in(labels: list[str]) -> dict:
        return {"expr": f"indexof({json.dumps(labels)}, datum.value) >= 0 ? '#b00020' : '#222222'"}

    base = alt.Chart(frame).encode(
        x=alt.X("objective:N", sort=objective_order, title=None,
                axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=260, labelOverlap=False,
                              labelColor=red_if_in(uncovered_labels))),
        y=alt.Y("activity:N", sort=activity_order, title=None,
                axis=alt.Axis(labelLimit=360, labelOverlap=False, labelFontSize=12,
                              labelColor=red_if_in(orphan_labels))))
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(title="Cell", orient="bottom", labelLimit=0, labelExpr=(  # 0: no cut
                            "datum.label == 'gap' ? 'orphan activity / uncovered objective' : "
                            "datum.label == 'none' ? 'no link' : datum.label"))),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.92)),
        tooltip=["activity_id", "title", "objective_id", "statement", "kind", "score"]).add_params(pick)
    scores = base.mark_text(fontSize=10).encode(
        text="label:N",
        color=alt.condition(alt.datum.kind == mx.STRONG, alt.value("#ffffff"), alt.value("#222222")))
    # SVG: every label stays text (searchable, readable by screen readers and by the browser test)
    return (cells + scores).properties(height=ROW_PX * len(activity_order), width=max(420, 62 * len(objective_order)),
                                       usermeta={"embedOptions": {"renderer": "svg"}})


def selected_cell(event) -> tuple[str, str] | None:
    """(activity id, objective id) of the clicked cell, from st.altair_chart's selection."""
    try:
        points = event.selection[CELL_PARAM]
    except (AttributeError, KeyError, TypeError):
        return None
    if not points:
        return None
    point = points[0]
    return point.get("activity_id"), point.get("objective_id")


def show_cell(mapping, activity_id: str, objective_id: str) -> None:
    activity = next(a for a in mapping.activities if a.activity_id == activity_id)
    objective = next(o for o in mapping.objectives if o.id == objective_id)
    st.markdown(f"**{activity_id}** {activity.title} → **{objective_id}** {objective.statement}")
    link = next((l for l in activity.links if l.objective_id == objective_id), None)
    if link is None:
        score = dict(activity.suggested).get(objective_id)
        st.write("Not a link" + (f" (suggested, score {score:.2f}: below the link threshold)." if score else "."))
        return
    st.write(f"Score {link.score:.2f} · {link.contribution} · {link.confidence} confidence"
             + (" · needs review" if link.needs_review else ""))
    st.caption(link.rationale)
    for citation in link.evidence:
        st.markdown(f"> {citation.quote}\n\n— {mx.where(citation)}")


def show_gaps(mapping) -> None:
    items = mx.gap_items(mapping)
    headings = {"orphans": "Activities supporting no objective", "uncovered": "Objectives no activity supports",
                "weak": "Objectives supported only weakly"}
    columns = st.columns(3)
    for column, (kind, heading) in zip(columns, headings.items()):
        column.markdown(f"**{heading}**")
        if not items[kind]:
            column.write("none")
        for item_id, title, note in items[kind]:
            column.markdown(f"- **{item_id}** {title}")
            if note is not None:
                column.caption(f"“{note.quote}” — {mx.where(note)}")
