"""The ingest summary says how many chunks carry the document's own paragraph number."""

from ingest.pipeline import IngestReport, Outcome


def test_summary_counts_chunks_with_a_paragraph_id():
    report = IngestReport(outcomes=[Outcome("a.pdf", "added", chunks=8000, with_paragraph_id=7400),
                                    Outcome("b.pdf", "replaced", chunks=488, with_paragraph_id=500),
                                    Outcome("c.pdf", "unchanged", chunks=99, with_paragraph_id=99)])
    assert "8,488 chunks, 7,900 with a paragraph id (93%)" in report.summary()
    assert report.as_dict()["chunks_with_paragraph_id"] == 7900


def test_summary_without_written_chunks_has_no_share_line():
    report = IngestReport(outcomes=[Outcome("c.pdf", "unchanged", chunks=99)])
    assert "paragraph id" not in report.summary()
