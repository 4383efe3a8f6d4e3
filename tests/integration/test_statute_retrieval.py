"""A short statute subsection kept as Markdown is found by a planner's paraphrase, and every
chunk of a document counts as mentioning the document's number and short name.

The statute is public U.S. Code text (10 U.S.C. 333, abridged to (a), (b) and (e)) in
tests/fixtures; the distractors are the bundled corpus's primers and memo, which also speak of
congressional notification and section 333."""

import shutil

import pytest

from assistant.core.retrieval import HybridSearch
from ingest.pipeline import IngestOptions, ingest_paths
from tests.helpers import CORPUS, ROOT

STATUTE = ROOT / "tests" / "fixtures" / "10_usc_333.md"
DISTRACTORS = ["sc_authorities_primer.pdf", "sc_planning_and_amne_primer.md", "j5_fy2027_program_build_memo.txt",
               "mercom_theater_strategic_guidance.md"]

pytestmark = pytest.mark.slow


@pytest.fixture
def statute_store(tmp_path, store, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(STATUTE, folder)
    for name in DISTRACTORS:
        for path in CORPUS.glob(name + "*"):  # the document and its sidecar
            shutil.copy(path, folder)
    report = ingest_paths([folder], store, embedder, IngestOptions(workers=1))
    assert not report.failed, report.summary()
    return store


def test_lead_time_question_finds_the_notice_and_wait_subsection(statute_store, embedder):
    question = "how much lead time does DoD owe the committees before starting a 333 program?"
    passages = HybridSearch(statute_store, embedder).search(question, k=5)
    top = [(p.source, p.section) for p in passages[:5]]
    assert ("10_usc_333.md", "333(e)") in top, top


def test_statute_chunks_carry_section_ids_heading_and_identity(statute_store):
    doc = statute_store.find_document("10_usc_333.md")
    chunks = statute_store.document_chunks(doc.doc_id)
    sections = [m["section"] for _, _, m in chunks]
    assert {"333(a)", "333(a)(1)", "333(b)(1)", "333(e)", "333(e)(1)", "333(e)(5)"} <= set(sections)
    notice = next(m for _, text, m in chunks if "15 days before" in text)
    assert notice["heading_path"].endswith("(e) Notice and Wait on Activities Under Programs")
    assert "10 U.S.C. 333" in notice["doc_identity"].split("; ")


def test_identity_and_heading_are_keyword_indexed(statute_store):
    doc = statute_store.find_document("10_usc_333.md")
    # "wait" is only in the heading of (e), never in its paragraphs' text
    hits = statute_store.keywords.search("notice AND wait", 20, doc_ids=[doc.doc_id])
    found = statute_store.get_chunks([chunk_id for chunk_id, _ in hits])
    assert found and all(m["section"].startswith("333(e)") for _, m in found.values())
    # "section 333" is in no paragraph nor in the title: the identity carries it to each chunk
    by_identity = statute_store.keywords.search('"section 333"', 50, doc_ids=[doc.doc_id])
    assert len(by_identity) == doc.chunks
