from pathlib import Path

from ingest.chunking import chunk_document, numbering_style
from ingest.records import LoadedDocument, Page
from ingest.sentences import split_sentences


def doc(text_pages, markdown=False, title="T"):
    return LoadedDocument(path=Path("x.txt"), doc_id="abc", title=title, markdown_headings=markdown,
                          pages=tuple(Page(i + 1, t) for i, t in enumerate(text_pages)))


def sections(chunks):
    return [c.section for c in chunks]


def test_plan_numbering_with_lone_markers_and_annex():
    text = """1. SITUATION
1.a. The partner has four boats. They patrol the strait.
b. The second subparagraph is here and composes with its parent number.
(1) A sub-subparagraph that composes with 1.b above it.
2. Execution begins in FY2026 with a survey of the coast.
ANNEX B - RESOURCES
1. The first annex paragraph lists money.
2. The second annex paragraph lists people."""
    chunks = chunk_document(doc([text]))
    assert sections(chunks) == ["1.a", "1.b", "1.b.(1)", "2", "Annex B > 1", "Annex B > 2"]
    assert chunks[0].heading_path == "1. SITUATION"
    assert chunks[-1].heading_path.startswith("ANNEX B")


def test_samm_numbering_and_wrapped_lines():
    text = """C5.3. - Letter of Request Responses
C5.3.1. General. Price and availability data is a rough order of magnitude estimate that is
not valid for budgeting.
C5.3.2. Preparing P&A data. The Implementing Agency prepares P&A data within 45 days of receipt.
1 Is a table row that must not become a paragraph"""
    chunks = chunk_document(doc([text]))
    assert sections(chunks) == ["C5.3.1", "C5.3.2"]
    assert "estimate that is not valid" in chunks[0].text
    assert chunks[0].heading_path == "C5.3. Letter of Request Responses"
    assert "table row" in chunks[1].text


def test_wrapped_objective_numbers_are_not_paragraphs():
    text = """3.f.(1) ODC Marenta executes the program in support of TCO 1, TCO
3 and TCO 4. It manages the FMS case and reports monthly.
3.f.(2) OSC Zarvia coordinates with the NDMO under IMO
1.3. Coordinate the cell with the partner."""
    chunks = chunk_document(doc([text]))
    assert sections(chunks) == ["3.f.(1)", "3.f.(2)"]
    assert "TCO 3 and TCO 4" in chunks[0].text


def test_decimal_style_and_markdown_headings():
    text = """# Primer
## 2. Objectives
2.4.1 Objectives are specific and measurable. They name a year.
2.4.2 Measures of effectiveness describe the partner's change in capability."""
    chunks = chunk_document(doc([text], markdown=True))
    assert numbering_style(text.splitlines()) == "decimal"
    assert sections(chunks) == ["2.4.1", "2.4.2"]
    assert chunks[0].heading_path == "Primer > 2. Objectives"


def test_long_paragraph_splits_at_sentences_and_keeps_its_id():
    sentences = [f"Sentence number {i} describes the partner's boats and the strait in some detail." for i in range(60)]
    text = "3.b. " + " ".join(sentences)
    chunks = chunk_document(doc([text]), max_words=100)
    assert len(chunks) > 3
    assert set(sections(chunks)) == {"3.b"}
    for chunk in chunks:
        assert len(chunk.text.split()) <= 100
        assert chunk.text.endswith(".")  # never mid-sentence
        assert all(s in text for s in split_sentences(chunk.text))
    assert " ".join(c.text for c in chunks) == text


def test_pages_are_tracked_across_a_page_break():
    first = "4.a. The radar program starts on this page and the sentence"
    second = "continues here. A second sentence is wholly on page two."
    chunks = chunk_document(doc([first, second]))
    assert len(chunks) == 1
    chunk = chunks[0]
    assert (chunk.page_start, chunk.page_end) == (1, 2)
    assert chunk.page_at(chunk.text.index("A second sentence")) == 2
    assert chunk.page_at(0) == 1


def test_chunk_ids_are_stable_and_embed_text_carries_context():
    text = "1. Alpha paragraph text here.\n2. Bravo paragraph text here."
    a, b = chunk_document(doc([text], title="Plan")), chunk_document(doc([text], title="Plan"))
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b] == ["abc-00000", "abc-00001"]
    assert a[0].embed_text.startswith("Plan")
