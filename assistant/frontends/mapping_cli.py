"""`planassist map`: the command, registered on the main group in assistant/frontends/cli.py."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ingest.errors import UserError


@click.command("map")
@click.option("--activities", "activities_path", required=True, type=click.Path(path_type=Path),
              help="Activities (CSV or XLSX: id, title, type, partner, authority, fiscal_year, description).")
@click.option("--objectives", "objectives_path", type=click.Path(path_type=Path),
              help="Objectives (CSV or XLSX: id, level, parent, statement).")
@click.option("--objectives-from-corpus", is_flag=True,
              help='Take the objectives from the documents in the store ("TCO 2: ...", "IMO 2.3: ...").')
@click.option("--no-corpus", is_flag=True, help="Score from the lists' wording only, without the documents.")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Write the mapping to FILE.csv, .xlsx or .md.")
@click.option("--json", "as_json", is_flag=True, help="Print the Mapping (see docs/CONTRACTS.md).")
@click.pass_obj
def map_command(obj, activities_path, objectives_path, objectives_from_corpus, no_corpus, out_path, as_json):
    """Map activities to the objectives they support, with evidence, and list the gaps."""
    from assistant.features.mapping import build_mapping
    from assistant.features.mapping.export import gap_lines, gap_rows, write
    from assistant.features.mapping.inputs import read_activities, read_objectives
    from assistant.features.mapping.documents import MappingDocuments
    from assistant.core.retrieval import HybridSearch

    if bool(objectives_path) == objectives_from_corpus:
        raise click.UsageError("give either --objectives FILE or --objectives-from-corpus")
    activities, problems = read_activities(activities_path)
    store = obj.reader()  # objectives and evidence only from documents the profile (--user) may see
    has_documents = bool(store.documents())
    if objectives_from_corpus:
        if not has_documents:
            raise UserError("the store is empty: add documents with `planassist ingest PATH` first")
        objectives = MappingDocuments(HybridSearch(store, obj.embedder)).objectives()
        if not objectives:
            raise UserError('no objectives found in the documents (looked for lines such as "TCO 2: ...")')
    else:
        objectives, more = read_objectives(objectives_path)
        problems += more
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    search = HybridSearch(store, obj.embedder) if has_documents and not no_corpus else None
    if search is None and not no_corpus:
        click.echo("note: the store is empty; scoring from the lists' wording only", err=True)
    mapping = build_mapping(activities, objectives, obj.embedder, search, problems)
    if out_path:
        write(mapping, out_path)
        click.echo(f"wrote {out_path}", err=True)
    if as_json:
        click.echo(json.dumps(mapping.as_dict(), ensure_ascii=False, indent=2))
        return
    for activity in mapping.activities:
        click.echo(f"{activity.activity_id} {activity.title}")
        if not activity.links:
            click.echo("    (no objective)")
        for link in activity.links:
            flag = "  [review]" if link.needs_review else ""
            click.echo(f"    {link.objective_id:<9} {link.score:.2f} {link.contribution:<12} {link.confidence:<6}{flag}")
            click.echo(f"        {link.rationale}")
    click.echo("")
    for label, value in gap_lines(mapping):
        click.echo(f"{label}: {value}")
    for kind, item_id, title, said in gap_rows(mapping):
        click.echo(f"    {item_id} {title}" + (f"\n        {said}" if said else ""))
