"""Section templates as data: YAML files with a name, a title and the questions the section
must answer ({partner} and {topic} are filled in). Built-in templates live beside this
module; a folder given with --templates or PLANASSIST_TEMPLATES adds more or overrides
one by name."""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.errors import UserError

BUILT_IN = Path(__file__).resolve().parent / "templates"
PLACEHOLDERS = {"partner", "topic"}


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    questions: tuple[str, ...]
    description: str = ""
    path: str = ""

    @property
    def needs_partner(self) -> bool:
        return any("{partner}" in q for q in self.questions)

    def filled(self, partner: str | None, topic: str | None) -> list[str]:
        if self.needs_partner and not partner:
            raise UserError(f"template '{self.name}' asks about a partner: give --partner (e.g. --partner Marenta)")
        questions = [q.format(partner=partner or "", topic=topic or "") for q in self.questions
                     if topic or "{topic}" not in q]
        if topic and not any("{topic}" in q for q in self.questions):
            questions.append(f"What do the documents say about {topic}" + (f" for {partner}?" if partner else "?"))
        return questions


def load_template(path: Path) -> Template:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: cannot be read as a YAML template ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list) or not data["questions"]:
        raise UserError(f"{path}: a template needs a 'questions' list")
    questions = []
    for q in data["questions"]:
        if not isinstance(q, str) or not q.strip():
            raise UserError(f"{path}: every question must be text")
        unknown = {f for _, f, _, _ in string.Formatter().parse(q) if f} - PLACEHOLDERS
        if unknown:
            raise UserError(f"{path}: unknown placeholder {{{sorted(unknown)[0]}}} (use {{partner}} or {{topic}})")
        questions.append(q.strip())
    name = str(data.get("name") or path.stem)
    return Template(name=name, title=str(data.get("title") or name.replace("_", " ").capitalize()),
                    questions=tuple(questions), description=str(data.get("description") or ""), path=str(path))


def template_dirs(extra: Path | None = None) -> list[Path]:
    dirs = [BUILT_IN]
    if os.environ.get("PLANASSIST_TEMPLATES"):
        dirs.append(Path(os.environ["PLANASSIST_TEMPLATES"]))
    if extra:
        if not Path(extra).is_dir():
            raise UserError(f"{extra}: no such templates folder")
        dirs.append(Path(extra))
    return dirs


def available_templates(extra: Path | None = None) -> dict[str, Template]:
    """Templates by name; a later folder overrides an earlier one's template of the same name."""
    found: dict[str, Template] = {}
    for folder in template_dirs(extra):
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            template = load_template(path)
            found[template.name] = template
    return found


def get_template(name: str, extra: Path | None = None) -> Template:
    templates = available_templates(extra)
    if name not in templates:
        raise UserError(f"no template '{name}'; available: {', '.join(sorted(templates))}")
    return templates[name]
