"""The `planassist` command. Errors a user can cause end in one line on stderr and a
non-zero exit, never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assistant.config import Settings
from ingest.errors import UserError
from ingest.metadata import DOC_TYPES


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._embedder = None
        self._store = None

    @property
    def embedder(self):
        if self._embedder is None:
            from assistant.services import make_embedder

            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def store(self):
        if self._store is None:
            from assistant.services import make_store

            self._store = make_store(self.settings, self.embedder)
        return self._store

    def profile(self, user_name: str | None = None):
        """The profile the command acts for: --user (of the command or the group), else
        PLANASSIST_USER or the PLANASSIST_MAX_MARKING profile; None: no limit."""
        from assistant.access.profiles import profile_for

        return profile_for(self.settings, user_name)

    def reader(self, user_name: str | None = None):
        """The store as the command's profile may see it (ingest/reader.py): every output
        of a command comes from here, so it is releasable to that profile."""
        from ingest.reader import StoreReader

        return StoreReader(self.store).visible_to(self.profile(user_name))

    def require_curator(self, user_name: str | None, action: str):
        profile = self.profile(user_name)
        if profile is not None and profile.role != "curator":
            raise UserError(f"{profile.name} is a {profile.role}: only curators may {action}")
        return profile


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_dir", type=click.Path(path_type=Path), help="Store folder (default .planassist, or PLANASSIST_STORE).")
@click.option("--collection", help="Collection name (default planassist).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000.")
@click.option("--user", "user_name", help="Act for this user of the users file (PLANASSIST_USER_FILE): every "
              "output holds only what their marking and caveats allow (default PLANASSIST_USER).")
@click.pass_context
def cli(ctx, store_dir, collection, chroma_url, user_name):
    """Planning Assistant: cited answers over your planning documents, offline."""
    ctx.obj = Context(Settings.from_env(store_dir=store_dir, collection=collection, chroma_url=chroma_url,
                                        user=user_name))


@cli.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES), help="Document type for these files.")
@click.option("--marking", help="Marking for these files (e.g. UNCLASSIFIED, CUI).")
@click.option("--force-marking", is_flag=True, help="Let --marking (or a sidecar) be lower than a banner in the "
              "document; recorded in the audit log.")
@click.option("--prune", is_flag=True, help="Remove documents whose files are gone.")
@click.option("--rebuild-keywords", is_flag=True, help="Rebuild the keyword index from Chroma.")
@click.option("--max-file-mb", type=float, default=100, show_default=True, help="Refuse larger files.")
@click.option("--wait", "wait_seconds", type=float, default=0, help="Wait this long for another ingest to finish.")
@click.option("--ocr", is_flag=True, help="Read pages without a text layer (scans) with OCR (about 6 s a page).")
@click.option("--page-seconds", type=click.FloatRange(min=0.1), default=None,
              help="Time limit for reading one range of 4 PDF pages (default 60); a file past it fails.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def ingest(obj: Context, paths, doc_type, marking, force_marking, prune, rebuild_keywords, max_file_mb, wait_seconds, ocr,
           page_seconds, as_json):
    """Ingest files and folders (PDF, DOCX, Markdown, text, HTML). A run that is stopped
    continues where it stopped when started again."""
    from assistant.frontends.ingest_progress import progress_display
    from ingest.pipeline import IngestOptions, ingest_paths

    if not paths and not (rebuild_keywords or prune):
        raise click.UsageError("give files or folders to ingest (or --rebuild-keywords / --prune)")
    if rebuild_keywords:
        with obj.store.writer_lock(wait_seconds):
            count = obj.store.rebuild_keywords()
        click.echo(f"keyword index rebuilt from Chroma: {count} documents", err=as_json)
        if not paths and not prune:
            return
    options = IngestOptions(doc_type=doc_type, marking=marking, prune=prune, max_file_mb=max_file_mb,
                            wait_seconds=wait_seconds, force_marking=force_marking, ocr=ocr)
    if page_seconds:
        options.range_seconds = page_seconds
    store, embedder = obj.store, obj.embedder
    with progress_display(sys.stderr) as show:
        try:
            report = ingest_paths(paths, store, embedder, options, progress=show)
        except KeyboardInterrupt:
            show.close()
            click.echo(f"stopped: {show.written} documents were written; run the same command again "
                       "to continue where it stopped", err=True)
            sys.exit(130)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.summary())
    if report.failed:
        sys.exit(1)


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--user", "user_name", help="List only what this user of the users file may see "
              "(default PLANASSIST_USER or the PLANASSIST_MAX_MARKING profile).")
@click.pass_context
def docs(ctx, as_json, user_name):
    """List the documents in the store (or remove one: docs remove DOC)."""
    if ctx.invoked_subcommand:
        return
    documents = ctx.obj.reader(user_name).documents()  # a document above the user's access is not even named
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in documents], indent=2))
        return
    if not documents:
        click.echo("the store is empty: add documents with `planassist ingest PATH`")
        return
    click.echo(f"{'id':<12} {'type':<10} {'marking':<14} {'pages':>5} {'chunks':>6}  {'ingested at':<25} title")
    for d in documents:
        click.echo(f"{d.doc_id[:12]:<12} {d.doc_type:<10} {(d.marking or '-'):<14} {d.pages:>5} {d.chunks:>6}  "
                   f"{d.ingested_at:<25} {d.title}")


@docs.command("remove")
@click.argument("doc")
@click.pass_obj
def docs_remove(obj: Context, doc):
    """Remove one document (by id, id prefix, file name or title). Curators only, and only a
    document they may see (a hidden one gets the same reply as a missing one)."""
    obj.require_curator(None, "remove documents")
    document = obj.reader().find_document(doc)
    store = obj.store
    with store.writer_lock():
        store.remove_document(document.doc_id)
    click.echo(f"removed {document.title} ({document.doc_id[:12]}, {document.chunks} chunks)")


@cli.command()
@click.argument("questions", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One Answer object per line (see docs/CONTRACTS.md).")
@click.option("--k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve (default 12).")
@click.option("--type", "doc_types", multiple=True, type=click.Choice(DOC_TYPES), help="Only these document types.")
@click.option("--doc", "docs_", multiple=True, help="Only these documents (id, file name or title).")
@click.option("--marking", "markings", multiple=True, help="Only documents with these markings.")
@click.option("--backend", type=click.Choice(["extractive", "openai", "ollama"]), default=None,
              help="Answering backend (default extractive, or PLANASSIST_BACKEND).")
@click.option("--user", "user_name", help="Answer for this user of the users file (PLANASSIST_USER_FILE): "
              "only documents their marking and caveats allow.")
@click.pass_obj
def ask(obj: Context, questions, as_json, k, doc_types, docs_, markings, backend, user_name):
    """Answer questions from the documents, with citations. Several questions are answered
    in one process; each is standalone."""
    from assistant.core.passages import Filters
    from assistant.services import make_assistant

    profile = obj.profile(user_name)
    reader = obj.reader(user_name)
    if not reader.documents():
        raise UserError("the store is empty: add documents with `planassist ingest PATH` first")
    filters = Filters(doc_types=tuple(doc_types), doc_ids=tuple(reader.find_document(d).doc_id for d in docs_),
                      markings=tuple(m.upper() for m in markings))
    assistant = make_assistant(obj.settings, obj.embedder, reader, backend, user=profile)
    for question in questions:
        answer = assistant.ask(question, k=k, filters=filters)
        if as_json:
            click.echo(json.dumps(answer.as_dict(), ensure_ascii=False))
        else:
            click.echo(render_answer(answer))


@cli.command()
@click.option("--repair", is_flag=True, help="Rebuild the keyword index and registry from Chroma.")
@click.option("--wait", "wait_seconds", type=float, default=0, help="With --repair: wait this long for an ingest.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_obj
def check(obj: Context, repair, wait_seconds, as_json):
    """Verify the store: Chroma, the keyword index and the registry agree. Exit 1 on findings."""
    from assistant.services import make_store
    from ingest.store_check import check_store, repair_store

    store = make_store(obj.settings, obj.embedder, reconcile_on_open=False)  # report, do not fix
    report = check_store(store)
    if repair and not report.ok:
        before = report.as_dict()
        report = repair_store(store, wait_seconds)
        if not as_json:
            click.echo(f"repaired {before['visible_problems']} problems and {before['leftovers']} leftovers")
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.summary())
    if not report.ok:
        sys.exit(1)


@cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wait", "wait_seconds", type=float, default=0, help="Wait this long for an ingest to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def export_(obj: Context, file, wait_seconds, as_json):
    """Write the collection (chunks, vectors, metadata, registry) to FILE (a ZIP): the documents
    the profile (--user) may see; the manifest names it."""
    from ingest.transfer import export_store

    report = export_store(obj.reader(), file, wait_seconds)  # only what the profile may see
    click.echo(json.dumps(report.as_dict()) if as_json else
               f"exported {report.documents} documents ({report.chunks} chunks) to {file}: "
               f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wait", "wait_seconds", type=float, default=0, help="Wait this long for an ingest to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def import_(obj: Context, file, wait_seconds, as_json):
    """Add the documents of an export FILE to this store (same embedding model required)."""
    from ingest.transfer import import_store

    report = import_store(obj.store, file, wait_seconds)
    click.echo(json.dumps(report.as_dict()) if as_json else
               f"imported {report.documents} documents ({report.chunks} chunks) from {file}: added "
               f"{report.added}, replaced {report.replaced}, unchanged {report.unchanged} in {report.seconds:.1f} s")


@cli.command()
@click.option("--backend", type=click.Choice(["extractive", "openai", "ollama"]), default=None,
              help="Answering backend (default extractive, or PLANASSIST_BACKEND).")
@click.pass_obj
def chat(obj: Context, backend):
    """Ask questions one after another; follow-ups ("and for FY2027?") use the conversation.
    An empty line or Ctrl-D ends."""
    from assistant.services import make_assistant

    reader = obj.reader()
    if not reader.documents():
        raise UserError("the store is empty: add documents with `planassist ingest PATH` first")
    assistant = make_assistant(obj.settings, obj.embedder, reader, backend, user=obj.profile())
    history: list[str] = []
    click.echo(f"{len(reader.documents())} documents. Ask a question (empty line to quit).")
    while True:
        try:
            question = input("\n? ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = assistant.ask(question, history=history)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        history.append(answer.standalone_question or question)
        click.echo(render_answer(answer))


def _register_commands() -> None:
    # commands that live in their own modules
    from assistant.frontends.drafting_cli import draft_command
    from assistant.frontends.mapping_cli import map_command
    from assistant.frontends.users_cli import users_command

    cli.add_command(map_command)
    cli.add_command(draft_command)
    cli.add_command(users_command)


_register_commands()

@cli.command()
@click.option("--port", type=int, default=8501, show_default=True, help="Port to listen on.")
@click.option("--address", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.pass_obj
def app(obj: Context, port, address):
    """Start the web app (Streamlit): chat with sources, documents."""
    import os

    root = Path(__file__).resolve().parents[2]
    if not (root / "app.py").exists():
        raise UserError(f"app.py is not next to the package ({root}); run from a source checkout")
    settings = obj.settings
    env = {**os.environ, "PLANASSIST_STORE": str(settings.store_dir.resolve()),
           "PLANASSIST_COLLECTION": settings.collection}
    if settings.chroma_url:
        env["PLANASSIST_CHROMA_URL"] = settings.chroma_url
    click.echo(f"Planning Assistant: open http://{address}:{port} in a browser (Ctrl-C stops it)")
    os.chdir(root)  # where .streamlit/config.toml is
    os.execvpe(sys.executable, [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                "--server.address", address, "--server.port", str(port)], env)


def render_answer(answer) -> str:
    lines = [f"Q: {answer.question}"]
    if answer.marking:
        lines.append(f"[{answer.marking}]")
    lines.append(f"A: {answer.answer}")
    sources = answer.citations or answer.closest
    if sources:
        lines.append("Sources:" if answer.citations else "Closest passages:")
        for c in sources:
            where = f"page {c.page}" + (f", paragraph {c.section}" if c.section else "")
            lines.append(f"  [{c.n}] {c.title} ({c.source}), {where}" + (f" [{c.marking}]" if c.marking else ""))
            lines.append(f"      \"{c.quote}\"")
    if answer.unsupported:
        lines.append("Not supported by the cited passages:")
        lines.extend(f"  - {s}" for s in answer.unsupported)
    return "\n".join(lines) + "\n"


from evals.cli import eval_command  # noqa: E402  (the evaluation lives in evals/)

cli.add_command(eval_command)


def main(argv=None) -> None:
    try:
        cli.main(args=argv, prog_name="planassist", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
