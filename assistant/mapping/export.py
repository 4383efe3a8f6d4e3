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
    lines.append(f"Link threshold {mapping.thresholds['link']}, review below {mapping.thresholds['review']}.")
    lines += ["", "## Gaps", ""]
    lines += [f"- {label}: {value}" for label, value in gap_lines(mapping)]
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


def to_xlsx(mapping, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Links"
    sheet.append(COLUMNS)
    for row in link_rows(mapping):
        sheet.append([row[c] for c in COLUMNS])
    ids, rows = matrix(mapping)
    grid = book.create_sheet("Matrix")
    grid.append(["activity"] + ids)
    for row in rows:
        grid.append(row)
    gaps = book.create_sheet("Gaps")
    for label, value in gap_lines(mapping):
        gaps.append([label, value])
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
