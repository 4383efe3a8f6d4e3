import pytest

from ingest.errors import DocumentError
from ingest.glossary import extract_glossary
from ingest.headers import strip_running_lines
from ingest.metadata import (detect_marking, guess_doc_type, highest_marking, normalize_marking,
                             parse_front_matter, read_sidecar)
from ingest.records import Page


def test_markings_are_normalized_with_caveats():
    assert normalize_marking("UNCLASSIFIED // NOTIONAL - FOR DEMONSTRATION") == "UNCLASSIFIED"
    assert normalize_marking("CONTROLLED UNCLASSIFIED INFORMATION") == "CUI"
    assert normalize_marking("CUI // REL TO USA, MRN") == "CUI // REL TO USA, MRN"
    assert normalize_marking("Unclassified training material is ...") is None
    assert highest_marking(["UNCLASSIFIED", "CUI", None]) == "CUI"


def test_marking_detected_from_page_banners():
    pages = [Page(1, "UNCLASSIFIED\nBody text\nUNCLASSIFIED"), Page(2, "CUI\nMore text\nCUI")]
    assert detect_marking(pages) == "CUI"
    assert detect_marking([Page(1, "no banner here")]) is None


def test_front_matter_and_sidecar(tmp_path):
    meta, body = parse_front_matter("---\ntitle: X\ndoc_type: plan\n---\n# Body\n")
    assert meta == {"title": "X", "doc_type": "plan"} and body == "# Body\n"
    target = tmp_path / "a.pdf"
    (tmp_path / "a.pdf.meta.yaml").write_text("doc_type: law\nmarking: CUI\n")
    assert read_sidecar(target) == {"doc_type": "law", "marking": "CUI"}
    (tmp_path / "a.pdf.meta.yaml").write_text("doc_type: [unclosed\n")
    with pytest.raises(DocumentError, match="a.pdf: its sidecar a.pdf.meta.yaml is not valid YAML"):
        read_sidecar(target)


def test_doc_type_guess():
    assert guess_doc_type("Theater Campaign Plan FY2026", "") == "plan"
    assert guess_doc_type("Exercise After-Action Report", "") == "assessment"
    assert guess_doc_type("Notes", "") == "other"


def test_running_headers_and_footers_are_removed():
    pages = [Page(i, f"DSCA Manual header\nBody line {i} about FMS.\nPage {i} of 5") for i in range(1, 6)]
    cleaned = strip_running_lines(pages)
    assert [p.text for p in cleaned] == [f"Body line {i} about FMS." for i in range(1, 6)]


def test_glossary_from_definitions():
    found = dict(extract_glossary(["The Foreign Military Financing (FMF) grant pays for the case. "
                                   "Visit, board, search and seizure (VBSS) teams train. See (USA)."]))
    assert found["FMF"] == "Foreign Military Financing"
    assert found["VBSS"].lower() == "visit board search and seizure"
    assert "USA" not in found


@pytest.mark.parametrize("line, marking", [
    ("S//NF", "SECRET // NOFORN"),
    ("**SECRET**", "SECRET"),
    ("Classification: SECRET", "SECRET"),
    ("*Classification:* S", "SECRET"),
    ("## SECRET//ORCON", "SECRET // ORCON"),
    ("TOP SECRET//SCI//NOFORN", "TOP SECRET // SCI // NOFORN"),  # unknown caveats are kept
    ("TS//SI//NF", "TOP SECRET // SI // NOFORN"),
    ("U//FOUO", "UNCLASSIFIED // FOUO"),
    ("Secret meeting notes", None),
])
def test_common_banner_forms(line, marking):
    assert normalize_marking(line) == marking


def test_portion_marks_and_disagreeing_banners_give_the_highest():
    pages = [Page(1, "UNCLASSIFIED\nTitle\n(U) Open text.\n(S//NF) A hidden fact.\nUNCLASSIFIED")]
    assert detect_marking(pages) == "SECRET // NOFORN"
    assert detect_marking([Page(1, "Title\n\n(U//FOUO) Internal figures.\n")]) == "UNCLASSIFIED // FOUO"
    # one bare letter in a document without portion marking is an abbreviation, not a mark
    assert detect_marking([Page(1, "Title\n\n(S) MDE that has not completed testing.\n")]) is None
    # list numbering is not a portion mark: (C) after (B) is item three
    assert detect_marking([Page(1, "Title\n(A) one thing\n(B) another\n(C) a third\n")]) is None
    assert highest_marking(["SECRET // REL TO USA, GBR, AUS", "SECRET // REL TO USA, GBR", "CUI // FOUO"]) == \
        "SECRET // REL TO USA, GBR // FOUO"


def test_unreadable_and_unknown_markings_are_refused():
    from ingest.metadata import MarkingError, checked_marking

    with pytest.raises(MarkingError, match="Classification: COSMIC"):
        detect_marking([Page(1, "Classification: COSMIC\nBody")])
    assert detect_marking([Page(1, "CLASSIFICATION:\nBody")]) is None  # a blank form field
    assert normalize_marking("Classification: the way items are grouped by sensitivity level") is None
    with pytest.raises(MarkingError, match="unknown marking 'FOO'"):
        checked_marking("FOO")
    assert checked_marking("s//nf") == "SECRET // NOFORN"
