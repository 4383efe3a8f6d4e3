"""A Mapping as CSV (one row per link, orphans as a row without objective), XLSX (links,
matrix and gaps sheets) or Markdown (a table per activity and the gaps)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.errors import UserError

COLUMNS = ["activity_id", "title", "rank", "objective_id", "score", "contribution", "confidence", "needs_review",
           "rationale", "evidence"]


def evidence_text(link) -> str:
    return " | ".join(f"{c.title}, p. {c.page}" + (f", para {c.section}" if c.section else "") + f': "{c.quote}"'
                      for c in link.evidence)


def link_rows(mapping) -> list[dict]:
    rows = []
    for activity in mapping.activities:
        if not activity.links:
            rows.append({"activity_id": activity.activity_id, "title": activity.title, "rank": None, "objective_id": "",
                         "score": None, "contribution": "", "confidence": "", "needs_review": "",
                         "rationale": "supports no objective above the link threshold", "evidence": ""})
        for rank, link in enumerate(activity.links, start=1):
            rows.append({"activity_id": activity.activity_id, "title": activity.title, "rank": rank,
                         "objective_id": link.objective_id, "score": link.score, "contribution": link.contribution,
                         "confidence": link.confidence, "needs_review": "yes" if link.needs_review else "no",
                         "rationale": link.rationale, "evidence": evidence_text(link)})
    return rows


def to_csv(mapping) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(link_rows(mapping))
    return out.getvalue()


def gap_lines(mapping) -> list[tuple[str, str]]:
    gaps = mapping.gaps
    return [("Activities supporting no objective", ", ".join(gaps["orphan_activities"]) or "none"),
            ("Objectives no activity supports", ", ".join(gaps["uncovered_objectives"]) or "none"),
            ("Objectives supported only weakly", ", ".join(gaps["weak_objectives"]) or "none")]


def to_markdown(mapping) -> str:
    lines = ["# Activity-to-objective mapping", ""]
    lines.append(f"Link threshold {mapping.thresholds['link']}, review below {mapping.thresholds['review']} "
                 "(probabilities from the fitted model; see README, Mapping).")
    lines += ["", "## Gaps", ""]
    lines += [f"- {label}: {value}" for label, value in gap_lines(mapping)]
    details = gap_rows(mapping)
    if details:
        lines += ["", "| Gap | Id | Title | What the documents say |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in details]
    lines += ["", "## Links", "", "| Activity | Objective | Score | Contribution | Confidence | Review | Rationale |",
              "|---|---|---|---|---|---|---|"]
    for row in link_rows(mapping):
        cells = [f"{row['activity_id']} {row['title']}", row["objective_id"] or "-", row["score"], row["contribution"],
                 row["confidence"], row["needs_review"], row["rationale"]]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    lines += ["", "## Evidence", ""]
    for activity in mapping.activities:
        for link in activity.links:
            for c in link.evidence:
                where = f"{c.title}, page {c.page}" + (f", paragraph {c.section}" if c.section else "")
                lines.append(f"- {activity.activity_id} -> {link.objective_id}: {where}: \"{c.quote}\"")
    if mapping.problems:
        lines += ["", "## Rows skipped", ""] + [f"- {p}" for p in mapping.problems]
    return "\n".join(lines) + "\n"


def matrix(mapping) -> tuple[list[str], list[list]]:
    """Objective ids (columns) and one row per activity: [activity id, score or None...]."""
    ids = [o.id for o in mapping.objectives]
    rows = []
    for activity in mapping.activities:
        scores = {l.objective_id: l.score for l in activity.links}
        rows.append([activity.activity_id] + [scores.get(i) for i in ids])
    return ids, rows


def gap_rows(mapping) -> list[list[str]]:
    """One row per gap: kind, id, title, and the document sentence that explains it."""
    from assistant.features.mapping.matrix import gap_items, where

    labels = {"orphans": "activity supporting no objective", "uncovered": "objective no activity supports",
              "weak": "objective supported only weakly"}
    rows = []
    for kind, items in gap_items(mapping).items():
        for item_id, title, note in items:
            rows.append([labels[kind], item_id, title, f'{where(note)}: "{note.quote}"' if note else ""])
    return rows


def _matrix_sheet(book, mapping) -> None:
    """The matrix as planners circulate it: labelled rows and columns, the page's colours for
    strong, weak and suggested links, orphan rows and uncovered columns shaded, a legend."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from assistant.features.mapping import matrix as mx

    def fill(colour: str) -> PatternFill:
        return PatternFill("solid", start_color=colour.lstrip("#"), end_color=colour.lstrip("#"))

    sheet = book.create_sheet("Matrix")
    orphans = set(mapping.gaps["orphan_activities"])
    uncovered = set(mapping.gaps["uncovered_objectives"])
    sheet.cell(1, 1, "activity \\ objective").font = Font(bold=True)
    columns = {}
    for c, objective in enumerate(mapping.objectives, start=2):
        columns[objective.id] = c
        head = sheet.cell(1, c, mx.objective_label(objective))
        head.font = Font(bold=True)
        head.alignment = Alignment(text_rotation=60, vertical="bottom")
        if objective.id in uncovered:
            head.fill = fill(mx.GAP_COLOUR)
    rows = {}
    for r, activity in enumerate(mapping.activities, start=2):
        rows[activity.activity_id] = r
        label = sheet.cell(r, 1, mx.activity_label(activity) + ("  (no objective)" if activity.activity_id in orphans else ""))
        if activity.activity_id in orphans:
            label.fill = fill(mx.GAP_COLOUR)
            label.font = Font(bold=True)
    for cell in mx.cells(mapping):
        target = sheet.cell(rows[cell.activity_id], columns[cell.objective_id])
        if cell.kind:
            target.value = cell.score
            target.fill = fill(mx.COLOURS[cell.kind])
            target.number_format = "0.00"
            if cell.kind == mx.STRONG:
                target.font = Font(color="FFFFFF", bold=True)
        elif cell.activity_id in orphans or cell.objective_id in uncovered:
            target.fill = fill(mx.GAP_COLOUR)
    sheet.column_dimensions["A"].width = 52
    sheet.freeze_panes = "B2"
    legend = len(mapping.activities) + 3
    sheet.cell(legend, 1, "Legend").font = Font(bold=True)
    for offset, kind in enumerate(mx.KINDS, start=1):
        sheet.cell(legend + offset, 1, kind).fill = fill(mx.COLOURS[kind])
    sheet.cell(legend + len(mx.KINDS) + 1, 1, "orphan activity / uncovered objective").fill = fill(mx.GAP_COLOUR)


def to_xlsx(mapping, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Links"
    sheet.append(COLUMNS)
    for row in link_rows(mapping):
        sheet.append([row[c] for c in COLUMNS])
    _matrix_sheet(book, mapping)
    gaps = book.create_sheet("Gaps")
    gaps.append(["gap", "id", "title", "what the documents say"])
    for row in gap_rows(mapping):
        gaps.append(row)
    book.save(path)


def write(mapping, path: Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_text(to_csv(mapping), encoding="utf-8")
    elif suffix == ".md":
        path.write_text(to_markdown(mapping), encoding="utf-8")
    elif suffix == ".xlsx":
        to_xlsx(mapping, path)
    else:
        raise UserError(f"{path}: write the mapping to a .csv, .xlsx or .md file")
