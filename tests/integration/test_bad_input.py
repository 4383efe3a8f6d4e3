"""Bad files: each gets one clear line naming it and the reason, the rest of the batch is
ingested, nothing stored is lost, and the command exits non-zero."""

import json
import os

import pytest

from helpers import PLAN_TEXT, make_pdf, planassist, write




def make_bad_files(folder):
    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    good = make_pdf(folder / "good.pdf", ["1. The Blue Strait radar case costs $5 million."])
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 9 0 R>>\nendobj\n" + os.urandom(2000))
    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    writer.write(folder / "locked.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(5000))
    (folder / "latin1.txt").write_bytes("Caf\xe9 planning notes for the SCO.".encode("latin-1"))
    with open(folder / "huge.pdf", "wb") as handle:  # 200 MB, sparse: costs no disk
        handle.truncate(200 * 1024 * 1024)
    blank = PdfWriter()
    for _ in range(3):
        blank.add_blank_page(612, 792)
    blank.write(folder / "scanned.pdf")
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04not really")
    write(folder / "docx_named.pdf", "This is text, not a PDF at all.")
    return good


EXPECTED = {
    "corrupt.pdf": "not a readable PDF",
    "locked.pdf": "encrypted with a password",
    "empty.txt": "the file is empty",
    "random.pdf": "not a PDF: its content looks like binary data",
    "latin1.txt": "not UTF-8 text",
    "huge.pdf": "over the 100 MB limit",
    "scanned.pdf": "no extractable text",
    "docx_named.pdf": "not a PDF: its content looks like plain text",
}


@pytest.mark.slow
def test_each_bad_file_is_reported_and_the_rest_ingested(tmp_path):
    existing = write(tmp_path / "kept" / "plan.txt", PLAN_TEXT)
    assert planassist("ingest", str(existing)).returncode == 0
    folder = tmp_path / "batch"
    make_bad_files(folder)
    result = planassist("ingest", str(folder))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    for name, reason in EXPECTED.items():
        matching = [l for l in lines if l.startswith("failed ") and f"/{name}:" in l]
        assert len(matching) == 1, (name, result.stdout)
        assert reason in matching[0], matching[0]
    assert any(l.startswith("skipped ") and "budget.xlsx: unsupported file type '.xlsx'" in l for l in lines)
    assert "Traceback" not in result.stdout + result.stderr
    assert lines[0].startswith("added 1, replaced 0")
    docs = json.loads(planassist("docs", "--json").stdout)
    assert sorted(d["source"] for d in docs) == ["good.pdf", "plan.txt"]


@pytest.mark.slow
def test_a_broken_new_version_leaves_the_stored_one_intact(tmp_path):
    path = make_pdf(tmp_path / "plan.pdf", ["1. The radar case costs $5 million in FY2026."])
    assert planassist("ingest", str(path)).returncode == 0
    before = json.loads(planassist("docs", "--json").stdout)
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    result = planassist("ingest", str(path))
    assert result.returncode == 1 and "plan.pdf: not a readable PDF" in result.stdout
    assert json.loads(planassist("docs", "--json").stdout) == before


def test_usage_errors_are_one_line(tmp_path):
    result = planassist("docs", "remove", "no-such-document")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no document 'no-such-document' in the store (see `planassist docs`)"
    result = planassist("ingest", str(tmp_path / "missing"))
    assert result.returncode == 1 and "missing: no such file or folder" in result.stdout
