"""`planassist draft`: the command, registered on the main group in assistant/frontends/cli.py."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingest.errors import UserError


@click.command("draft")
@click.argument("section", required=False)
@click.option("--partner", help="Partner nation the section is about (fills {partner} in the questions).")
@click.option("--topic", help="An extra topic the section must cover.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path),
              help="A folder of more templates (*.yaml); also PLANASSIST_TEMPLATES.")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Write the draft to FILE.md or FILE.docx.")
@click.option("--json", "as_json", is_flag=True, help="Print the draft as JSON (paragraphs, sources, gaps).")
@click.option("--backend", type=click.Choice(["extractive", "openai", "ollama"]), default=None,
              help="Answering backend (default extractive, or PLANASSIST_BACKEND).")
@click.pass_obj
def draft_command(obj, section, partner, topic, templates_dir, out_path, as_json, backend):
    """Draft a plan section from the documents: every paragraph cited, gaps marked.
    Without SECTION, list the templates."""
    from assistant.features.drafting.draft import draft_section
    from assistant.features.drafting.export import to_markdown, write
    from assistant.features.drafting.templates import available_templates, get_template
    from assistant.services import make_assistant

    if not section:
        for template in available_templates(templates_dir).values():
            click.echo(f"{template.name:<22} {template.title} ({len(template.questions)} questions)")
        return
    template = get_template(section, templates_dir)
    reader = obj.reader()  # only the documents the profile (--user) may see
    if not reader.documents():
        raise UserError("the store is empty: add documents with `planassist ingest PATH` first")
    assistant = make_assistant(obj.settings, obj.embedder, reader, backend, user=obj.profile())
    draft = draft_section(assistant, template, partner, topic)
    if out_path:
        write(draft, out_path)
        click.echo(f"wrote {out_path}", err=True)
    click.echo(json.dumps(draft.as_dict(), ensure_ascii=False, indent=2) if as_json else to_markdown(draft))
