"""Gold suites: JSONL files, one case per line, loaded and validated with errors that name
the file and the line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import UserError

TAGS = {"lookup", "synthesis", "comparison", "numbers", "acronyms", "unanswerable", "multi-document", "follow-up"}


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    answerable: bool
    reference: str
    reference_facts: tuple[str, ...]
    reference_sources: tuple[dict, ...]
    tags: tuple[str, ...]
    history: tuple[str, ...] = field(default_factory=tuple)  # earlier questions, for follow-ups


def load_suite(path: Path) -> list[Case]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc})") from exc
    cases, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise UserError(f"{where}: a case must be a JSON object")
        for key in ("id", "question", "answerable"):
            if key not in data:
                raise UserError(f"{where}: missing '{key}'")
        if data["id"] in seen:
            raise UserError(f"{where}: duplicate id '{data['id']}'")
        seen.add(data["id"])
        if not isinstance(data["answerable"], bool):
            raise UserError(f"{where}: 'answerable' must be true or false")
        sources = data.get("reference_sources") or []
        if data["answerable"] and not (sources and data.get("reference_facts")):
            raise UserError(f"{where}: an answerable case needs reference_facts and reference_sources")
        for source in sources:
            if not isinstance(source, dict) or "source" not in source:
                raise UserError(f"{where}: each reference source needs a 'source' (file name)")
        unknown = set(data.get("tags") or []) - TAGS
        if unknown:
            raise UserError(f"{where}: unknown tag(s) {', '.join(sorted(unknown))}")
        cases.append(Case(id=str(data["id"]), question=str(data["question"]), answerable=data["answerable"],
                          reference=str(data.get("reference", "")),
                          reference_facts=tuple(data.get("reference_facts") or ()),
                          reference_sources=tuple(sources), tags=tuple(data.get("tags") or ()),
                          history=tuple(data.get("history") or ())))
    if not cases:
        raise UserError(f"{path}: no cases")
    return cases
