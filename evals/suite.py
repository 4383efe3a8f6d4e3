"""Gold suites: JSONL files, one case per line, loaded and validated with errors that name
the file and the line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import UserError

TAGS = {"lookup", "synthesis", "comparison", "numbers", "acronyms", "unanswerable", "multi-document", "follow-up",
        # how planners ask over a real library (evals/suites/dsca.jsonl)
        "list", "cross_document", "supersession", "prose", "near_miss", "names_document", "scenario", "two_part",
        "figures",
        # composition (issue 13): sources that disagree; the list case's items are its facts
        "conflict"}


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
    # a `conflict` case: the values the sources give for the same thing, all of which the
    # answer must show while saying that they disagree
    conflict_values: tuple[str, ...] = field(default_factory=tuple)


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
        if not isinstance(data["question"], str) or not data["question"].strip():
            raise UserError(f"{where}: 'question' must be a non-empty string")
        if not isinstance(data.get("reference", ""), str):
            raise UserError(f"{where}: 'reference' must be a string")
        for key in ("reference_facts", "tags", "history", "conflict_values"):
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise UserError(f"{where}: '{key}' must be a list of non-empty strings")
        sources = data.get("reference_sources") or []
        if not isinstance(sources, list):
            raise UserError(f"{where}: 'reference_sources' must be a list")
        if data["answerable"] and not (sources and data.get("reference_facts")):
            raise UserError(f"{where}: an answerable case needs reference_facts and reference_sources")
        for source in sources:
            if not isinstance(source, dict) or not isinstance(source.get("source"), str):
                raise UserError(f"{where}: each reference source needs a 'source' (file name)")
            if not (source.get("section") or source.get("page") is not None):
                raise UserError(f"{where}: reference source '{source['source']}' needs a 'section' and/or a 'page'")
            page = source.get("page")
            if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
                raise UserError(f"{where}: reference source '{source['source']}' has page {page!r}; use a page number from 1")
        unknown = set(data.get("tags") or []) - TAGS
        if unknown:
            raise UserError(f"{where}: unknown tag(s) {', '.join(sorted(unknown))}")
        if "conflict" in (data.get("tags") or []) and len(data.get("conflict_values") or []) < 2:
            raise UserError(f"{where}: a 'conflict' case needs 'conflict_values': the two or more values that disagree")
        cases.append(Case(id=str(data["id"]), question=str(data["question"]), answerable=data["answerable"],
                          reference=str(data.get("reference", "")),
                          reference_facts=tuple(data.get("reference_facts") or ()),
                          reference_sources=tuple(sources), tags=tuple(data.get("tags") or ()),
                          history=tuple(data.get("history") or ()),
                          conflict_values=tuple(data.get("conflict_values") or ())))
    if not cases:
        raise UserError(f"{path}: no cases")
    return cases


def suite_name(path: Path) -> str:
    return Path(path).stem


def _declaration(path: Path) -> tuple[Path, list[str]] | None:
    """(the .corpus file, its non-blank lines), or None when the suite declares no corpus."""
    declaration = Path(path).with_suffix(".corpus")
    if not declaration.exists():
        return None
    lines = [line.strip() for line in declaration.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise UserError(f"{declaration.name}: empty; its first line names the suite's corpus folder")
    return declaration, lines


def suite_corpus(path: Path, root: Path) -> Path | None:
    """The folder of documents a suite was written over, declared beside it in
    `<suite>.corpus` (first line: a folder, relative to the project root or absolute). None when
    the suite declares none: it then runs over the configured store."""
    declared = _declaration(path)
    if declared is None:
        return None
    declaration, lines = declared
    folder = Path(lines[0]) if Path(lines[0]).is_absolute() else (Path(root) / lines[0])
    if not folder.is_dir():
        raise UserError(f"{declaration.name}: the suite's corpus folder {folder} does not exist")
    return folder.resolve()


INCLUDE = "include:"


def corpus_include(path: Path) -> tuple[str, ...]:
    """The `include: GLOB` lines after the folder line of `<suite>.corpus`: a named subset of
    the folder (globs on the path relative to it). Empty: the whole folder."""
    declared = _declaration(path)
    if declared is None:
        return ()
    declaration, lines = declared
    globs = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.startswith(INCLUDE) or not line[len(INCLUDE):].strip():
            raise UserError(f"{declaration.name} line {number}: expected 'include: GLOB', got {line!r}")
        globs.append(line[len(INCLUDE):].strip())
    return tuple(globs)


def corpus_files(folder: Path, include: tuple[str, ...] = ()) -> list[Path]:
    """The files of a corpus folder (hidden ones skipped, as ingestion skips them), or those
    whose path relative to it matches one of the include globs."""
    from fnmatch import fnmatch

    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    if not include:
        return files
    kept = [p for p in files if any(fnmatch(p.relative_to(folder).as_posix(), g) for g in include)]
    if not kept:
        raise UserError(f"no file of {folder} matches the include globs {', '.join(include)}")
    return kept
