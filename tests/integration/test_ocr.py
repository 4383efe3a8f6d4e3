"""Scanned pages (no text layer) are read with OCR when asked, marked as OCR text in the
store and in citations, and without OCR the file says how to read it."""

from __future__ import annotations

import shutil

import pytest

from helpers import ROOT

SCANNED = ROOT.parent / "shared" / "realdocs" / "dsca" / "DSCA_04-29.pdf"  # a memo scanned without a text layer

needs_ocr_tools = pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm") and SCANNED.exists()),
    reason="tesseract-ocr / poppler-utils (scripts/setup.sh --test) or the real documents are missing")


def first_pages(source, target, count):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages[:count]:
        writer.add_page(page)
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


@needs_ocr_tools
def test_ocr_reads_the_words_of_the_scanned_memo():
    from ingest.loaders.ocr import ocr_page
    from ingest.loaders.pdf_loader import extract_range

    data = SCANNED.read_bytes()
    assert extract_range(data, 0, 1, None) == [""]  # no text layer at all
    text = ocr_page(data, 0).upper()
    for words in ("DEFENSE SECURITY COOPERATION AGENCY", "MEMORANDUM FOR", "DISTRIBUTION", "SUBJECT"):
        assert words in text, text[:400]


@needs_ocr_tools
@pytest.mark.slow
def test_a_scan_fails_with_a_hint_without_ocr_and_is_stored_as_ocr_text_with_it(tmp_path, store, embedder):
    from assistant.core.citing import citation_for
    from assistant.core.passages import Passage
    from ingest.pipeline import IngestOptions, ingest_paths

    scan = first_pages(SCANNED, tmp_path / "scanned_memo.pdf", 2)
    plain = ingest_paths([scan], store, embedder, IngestOptions())
    assert [o.detail for o in plain.of("failed")] == [
        "no extractable text (a scanned or image-only document: ingest it with --ocr to read its scans)"]

    report = ingest_paths([scan], store, embedder, IngestOptions(ocr=True))
    assert report.counts()["added"] == 1, report.summary()
    rows = store.document_chunks(report.of("added")[0].doc_id)
    assert rows and all(metadata.get("ocr") is True for _, _, metadata in rows)
    assert "CERTIFICATION PROGRAM" in " ".join(text for _, text, _ in rows).upper()
    chunk_id, text, metadata = rows[0]
    citation = citation_for(1, Passage(chunk_id, text, metadata), 0, min(80, len(text)), 0.5)
    assert citation.ocr is True and citation.as_dict()["ocr"] is True


def test_pages_with_text_are_not_marked_as_ocr(tmp_path):
    from helpers import make_pdf
    from ingest.loaders import load_document
    from ingest.loaders.pdf_loader import PageWork

    path = make_pdf(tmp_path / "plan.pdf", [f"The {word} part of the plan has a text layer." for word in ("first", "second", "third")])
    document = load_document(path, work=PageWork(ocr=True))
    assert not any(page.ocr for page in document.pages)
