"""Each loader on a real file of its format."""

import pytest

from helpers import PLAN_TEXT, make_docx, make_pdf, write
from ingest.chunking import chunk_document
from ingest.loaders import load_document


def test_pdf_pages_title_running_lines_and_marking(tmp_path):
    pages = [f"{i}.a. Paragraph on page {i} about the Blue Strait patrols and their boats." for i in range(1, 5)]
    path = make_pdf(tmp_path / "plan.pdf", pages, title="Blue Strait Plan",
                    header="UNCLASSIFIED // NOTIONAL", footer="Page {page} of 4")
    document = load_document(path)
    assert document.title == "Blue Strait Plan"
    assert [p.number for p in document.pages] == [1, 2, 3, 4]
    assert document.declared["detected_marking"] == "UNCLASSIFIED"
    for page in document.pages:
        assert "UNCLASSIFIED" not in page.text and "of 4" not in page.text
        assert f"on page {page.number}" in page.text


def test_pdf_title_falls_back_to_first_heading(tmp_path):
    path = make_pdf(tmp_path / "x.pdf", ["EXERCISE REPORT\n1. Body text of the report."])
    assert load_document(path).title == "EXERCISE REPORT"


def test_docx_headings_pages_tables_and_header_banner(tmp_path):
    import docx

    path = make_docx(tmp_path / "r.docx", [("h1", "Exercise Report"), ("p", "1. First paragraph."),
                                           ("break", ""), ("p", "2. Second paragraph on page two.")],
                     header="CUI // REL TO USA, MRN")
    document = docx.Document(str(path))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "A01", "Radar"
    document.save(str(path))
    loaded = load_document(path)
    assert loaded.declared["detected_marking"] == "CUI // REL TO USA, MRN"
    assert len(loaded.pages) == 2
    assert loaded.pages[0].text.startswith("## Exercise Report")
    assert "A01 | Radar" in loaded.pages[1].text
    chunks = chunk_document(loaded)
    assert [c.section for c in chunks][:2] == ["1", "2"]
    assert chunks[1].page_start == 2


def test_markdown_front_matter_and_text_form_feeds(tmp_path):
    md = write(tmp_path / "g.md", "---\ntitle: Guidance\ndoc_type: policy\n---\n# Guidance\n\n1. Text.\n")
    loaded = load_document(md)
    assert loaded.title == "Guidance" and loaded.declared["doc_type"] == "policy"
    txt = write(tmp_path / "t.txt", PLAN_TEXT + "\f\n3. Page two text.\n")
    loaded = load_document(txt)
    assert len(loaded.pages) == 2 and loaded.declared["detected_marking"] == "UNCLASSIFIED"


def test_html_headings_and_scripts(tmp_path):
    page = write(tmp_path / "p.html", "<html><head><title>SCO Handbook</title><script>alert(1)</script></head>"
                                       "<body><h2>1. Roles</h2><p>1.a. The SCO chief leads.</p></body></html>")
    loaded = load_document(page)
    assert loaded.title == "SCO Handbook"
    assert "alert" not in loaded.pages[0].text
    assert "## 1. Roles" in loaded.pages[0].text


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", ["1. Readable once opened with an empty password."])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    path = tmp_path / "owner_only.pdf"
    writer.write(path)
    assert "Readable once opened" in load_document(path).pages[0].text


@pytest.mark.parametrize("name", ["samm_chapter_5.pdf"])
def test_samm_paragraph_ids(name):
    from helpers import REALDOCS

    path = REALDOCS / name
    if not path.exists():
        pytest.skip("../shared/realdocs is not beside the project")
    chunks = chunk_document(load_document(path))
    holding = [c for c in chunks if c.text.startswith("C5.3.2.")]
    assert holding and holding[0].section == "C5.3.2"
    for c in chunks:
        if c.text.startswith("C5.") and c.text[:12].count(".") >= 2:
            assert c.text.startswith(c.section + ".")
    assert max(len(c.text.split()) for c in chunks) <= 150
