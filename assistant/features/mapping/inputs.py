"""Activity and objective lists from CSV or XLSX. A bad row (missing id, duplicate id,
unknown parent) is reported with its file and row number and skipped; the rest is used."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.features.mapping.models import Activity, Objective
from ingest.errors import UserError

# header spellings planners use, mapped to our field names
ACTIVITY_COLUMNS = {
    "id": ("id", "activity_id", "activity id", "activity"),
    "title": ("title", "name", "activity title"),
    "type": ("type", "activity type", "category"),
    "partner": ("partner", "partners", "country", "partner nation"),
    "authority": ("authority", "funding", "authority/funding", "authority_funding", "program"),
    "fiscal_year": ("fiscal_year", "fiscal year", "fy"),
    "description": ("description", "details", "summary"),
}
OBJECTIVE_COLUMNS = {
    "id": ("id", "objective_id", "objective id", "objective"),
    "level": ("level", "tier"),
    "parent": ("parent", "parent_id", "parent id"),
    "statement": ("statement", "objective statement", "text", "description"),
}


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {lower-case header: text}) for each data row."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise UserError(f"{path}: use a .csv or .xlsx file (got '{suffix or 'no extension'}')")
    if not rows:
        raise UserError(f"{path}: the file has no header row")
    header = [str(h or "").strip().lower() for h in rows[0]]
    out = []
    for number, values in enumerate(rows[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        out.append((number, dict(zip(header, cells))))
    return out


def _csv_rows(path: Path) -> list[list]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; save the list as UTF-8 CSV or XLSX") from None


def _xlsx_rows(path: Path) -> list[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged file
        raise UserError(f"{path}: cannot be read as XLSX ({exc})") from None
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _pick(row: dict, names: tuple[str, ...]) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _require_columns(path: Path, rows: list[tuple[int, dict]], columns: dict, needed: tuple[str, ...]) -> None:
    if not rows:
        return
    header = set().union(*(r.keys() for _, r in rows))
    for field in needed:
        if not header & set(columns[field]):
            raise UserError(f"{path}: no '{field}' column (expected one of: {', '.join(columns[field])})")


def _valid_rows(path: Path, columns: dict, needed: tuple[str, ...], content: tuple[str, ...], what: str):
    """(row number, values) of each usable row; a row with no id, a repeated id or none of
    the `content` fields is reported in `problems` by file and row number and skipped."""
    rows = read_rows(path)
    _require_columns(path, rows, columns, needed)
    valid, problems, seen = [], [], set()
    for number, row in rows:
        values = {field: _pick(row, names) for field, names in columns.items()}
        where = f"{Path(path).name} row {number}"
        if not values["id"]:
            problems.append(f"{where}: missing id; row skipped")
        elif values["id"] in seen:
            problems.append(f"{where}: duplicate id '{values['id']}'; row skipped")
        elif not any(values[field] for field in content):
            problems.append(f"{where}: '{values['id']}' has no {what}; row skipped")
        else:
            seen.add(values["id"])
            valid.append((number, values))
    return valid, problems


def read_activities(path: Path) -> tuple[list[Activity], list[str]]:
    valid, problems = _valid_rows(path, ACTIVITY_COLUMNS, ("id", "title"), ("title", "description"),
                                  "title or description")
    return [Activity(**values) for _, values in valid], problems


def read_objectives(path: Path) -> tuple[list[Objective], list[str]]:
    valid, problems = _valid_rows(path, OBJECTIVE_COLUMNS, ("id", "statement"), ("statement",), "statement")
    return check_parents([(number, Objective(**values)) for number, values in valid], Path(path).name, problems)


def check_parents(candidates: list[tuple[int, Objective]], name: str, problems: list[str]) -> tuple[list[Objective], list[str]]:
    ids = {o.id for _, o in candidates}
    objectives = []
    for number, objective in candidates:
        if objective.parent and objective.parent not in ids:
            problems.append(f"{name} row {number}: '{objective.id}' names unknown parent '{objective.parent}'; row skipped")
            continue
        objectives.append(objective)
    return objectives, problems
