"""Render the bundled corpus's PDF and DOCX documents from their sources.

Sources live in corpus/sources/<name>.src.md (front matter + a small Markdown subset, see
corpus/README.md); the rendered files go to corpus/documents/ with a sidecar
<file>.meta.yaml carrying the title and document type. Each page carries the document's
banner as a running header and footer, like real marked documents, so that ingestion's
header removal and marking detection are exercised on the bundled corpus too.

Usage: python scripts/build_corpus.py [NAME.src.md ...]   (default: every source)
Needs the test extra (fpdf2) besides the product's python-docx.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "sources"
DOCUMENTS = ROOT / "corpus" / "documents"
# A fixed date keeps rebuilt files byte-identical, so their content-hash ids stay stable.
FIXED_DATE = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)

# The PDF core fonts are Latin-1 only; map the typographic characters writers use.
_LATIN1 = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'",
                         "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2022": "-",
                         "\u2264": "<=", "\u2265": ">=", "\u00a0": " "})


def parse_source(path: Path) -> tuple[dict, list[tuple[str, object]]]:
    """Front matter and a list of blocks: (kind, payload) with kind in
    banner/title/heading/para/table/newpage."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        raise SystemExit(f"{path.name}: no front matter block")
    meta = yaml.safe_load(match.group(1))
    blocks: list[tuple[str, object]] = []
    table: list[list[str]] = []
    for raw in text[match.end():].splitlines():
        line = raw.strip()
        if table and not line.startswith("|"):
            blocks.append(("table", table))
            table = []
        if not line:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells):  # skip |---| rules
                table.append(cells)
        elif line == r"\newpage":
            blocks.append(("newpage", None))
        elif line.startswith("## "):
            blocks.append(("heading", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(("title", line[2:].strip()))
        elif not blocks and "//" in line and line.isupper():
            blocks.append(("banner", line))
        else:
            blocks.append(("para", line))
    if table:
        blocks.append(("table", table))
    return meta, blocks


def banner_of(blocks) -> str:
    return next((p for k, p in blocks if k == "banner"), "UNCLASSIFIED // NOTIONAL - FOR DEMONSTRATION")


def render_pdf(meta: dict, blocks, out: Path) -> int:
    from fpdf import FPDF

    banner = banner_of(blocks).translate(_LATIN1)

    class MarkedPDF(FPDF):
        def header(self):
            self.set_font("Helvetica", "B", 9)
            self.cell(0, 6, banner, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", "B", 9)
            self.cell(0, 5, banner, align="C")

    pdf = MarkedPDF(format="letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(meta["title"])
    pdf.set_author(str(meta.get("author", "U.S. Meridian Command (notional)")))
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    for kind, payload in blocks:
        if kind == "banner":
            continue
        if kind == "newpage":
            pdf.add_page()
        elif kind == "title":
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(0, 8, payload.translate(_LATIN1), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif kind == "heading":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 11.5)
            pdf.multi_cell(0, 6.5, payload.translate(_LATIN1), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "para":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 5.8, payload.translate(_LATIN1), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.2)
        elif kind == "table":
            pdf.set_font("Helvetica", "", 9.5)
            with pdf.table(line_height=5.2, first_row_as_headings=True) as table:
                for row in payload:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell.translate(_LATIN1))
            pdf.ln(2)
    pdf.output(str(out))
    return pdf.page_no()


def render_docx(meta: dict, blocks, out: Path) -> int:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    banner = banner_of(blocks)
    document = docx.Document()
    props = document.core_properties
    props.title = meta["title"]
    props.author = str(meta.get("author", "U.S. Meridian Command (notional)"))
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    section = document.sections[0]
    for part in (section.header, section.footer):
        para = part.paragraphs[0]
        para.text = banner
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pages = 1
    for kind, payload in blocks:
        if kind == "banner":
            continue
        if kind == "newpage":
            document.add_page_break()
            pages += 1
        elif kind == "title":
            document.add_heading(payload, level=0)
        elif kind == "heading":
            document.add_heading(payload, level=1)
        elif kind == "para":
            document.add_paragraph(payload)
        elif kind == "table":
            width = max(len(r) for r in payload)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for row in payload:
                cells = table.add_row().cells
                for i, cell in enumerate(row):
                    cells[i].text = cell
    document.save(str(out))
    return pages


def build(source: Path) -> str:
    meta, blocks = parse_source(source)
    name = source.name.removesuffix(".src.md")
    kind = meta.get("output", "pdf")
    out = DOCUMENTS / f"{name}.{kind}"
    pages = (render_pdf if kind == "pdf" else render_docx)(meta, blocks, out)
    sidecar = {"title": meta["title"], "doc_type": meta["doc_type"]}
    (DOCUMENTS / f"{out.name}.meta.yaml").write_text(yaml.safe_dump(sidecar, sort_keys=False), encoding="utf-8")
    words = sum(len(str(p).split()) for k, p in blocks if k == "para")
    return f"{out.relative_to(ROOT)}: {pages} pages, {words} words"


def main(argv: list[str]) -> None:
    DOCUMENTS.mkdir(parents=True, exist_ok=True)
    sources = [SOURCES / a for a in argv] if argv else sorted(SOURCES.glob("*.src.md"))
    for source in sources:
        print(build(source))


if __name__ == "__main__":
    main(sys.argv[1:])
