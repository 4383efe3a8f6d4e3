"""A draft as Markdown or DOCX (python-docx): the marking as a banner, the paragraphs with
their [n] markers, gap lines, and the numbered sources at the end."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import UserError


def gap_line(question: str) -> str:
    return f"[GAP: {question}]"


def source_line(source) -> str:
    where = f"page {source.page}" + (f", paragraph {source.section}" if source.section else "")
    return f"[{source.n}] {source.title} ({source.source}), {where}"


def heading(draft) -> str:
    return draft.title + (f": {draft.partner}" if draft.partner else "")


def to_markdown(draft) -> str:
    lines = []
    if draft.marking:
        lines += [f"**{draft.marking}**", ""]
    lines += [f"# {heading(draft)}", ""]
    for p in draft.paragraphs:
        if p.title:
            lines += [f"### {p.title}", ""]
        lines += [gap_line(p.question) if p.gap else p.text, ""]
    lines += ["## Sources", ""]
    lines += [source_line(s) for s in draft.sources] or ["(none)"]
    if draft.marking:
        lines += ["", f"**{draft.marking}**"]
    return "\n".join(lines) + "\n"


def to_docx(draft, path, text: str | None = None) -> None:
    """path: a file path or a binary stream. text: the draft as edited by the planner
    (Markdown as to_markdown writes it); the paragraphs are then taken from it."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    if draft.marking:
        for part in (section.header, section.footer):
            banner = part.paragraphs[0]
            banner.text = draft.marking
            banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(heading(draft), level=1)
    body = _body_paragraphs(text if text is not None else to_markdown(draft))
    for paragraph in body:
        if paragraph.startswith("### "):
            document.add_heading(paragraph[4:], level=3)
            continue
        if paragraph.startswith("- "):
            document.add_paragraph(paragraph[2:], style="List Bullet")
            continue
        added = document.add_paragraph()
        run = added.add_run(paragraph)
        if paragraph.startswith("[GAP:"):
            run.italic = True
    document.add_heading("Sources", level=2)
    for source in draft.sources:
        document.add_paragraph(source_line(source))
    document.save(str(path) if isinstance(path, (str, Path)) else path)


def _body_paragraphs(text: str) -> list[str]:
    """The paragraphs of an edited Markdown draft, without its banner, heading and sources."""
    body = text.split("\n## Sources", 1)[0]
    out = []
    for block in body.split("\n\n"):
        # a section title and each bullet of a list stand alone; other lines of a block join
        lines, prose = [], []
        for line in block.splitlines():
            line = " ".join(line.split())
            if line.startswith(("### ", "- ")):
                if prose:
                    lines.append(" ".join(prose))
                    prose = []
                lines.append(line)
            elif line:
                prose.append(line)
        if prose:
            lines.append(" ".join(prose))
        out += [b for b in lines if not b.startswith("# ") and not (b.startswith("**") and b.endswith("**"))]
    return out


def write(draft, path: Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(to_markdown(draft), encoding="utf-8")
    elif suffix == ".docx":
        to_docx(draft, path)
    else:
        raise UserError(f"{path}: write the draft to a .md or .docx file")
