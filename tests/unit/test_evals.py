import pytest

from evals.metrics import fact_recall, paragraph_cited, section_matches
from evals.suite import load_suite
from ingest.errors import UserError


def test_section_matching():
    assert section_matches("5.a", "5.a") and section_matches("5.a", "5.a.(2)")
    assert not section_matches("5.a", "5.ab") and not section_matches("5.a.(2)", "5.a")
    assert section_matches("Annex A > 3", "Annex A > 3") and not section_matches("Annex A > 3", "Annex A > 31")


def test_fact_recall_and_paragraph_cited():
    assert fact_recall(["$1,450 personnel", "five nations"], "It had $1450 Personnel from seven nations.") == 0.5
    refs = [{"source": "a.pdf", "section": "4.b"}]
    assert paragraph_cited(refs, [{"source": "a.pdf", "section": "4.b.(1)", "page": 3}])
    assert not paragraph_cited(refs, [{"source": "b.pdf", "section": "4.b", "page": 3}])


@pytest.mark.parametrize("line,message", [
    ("{not json", "line 1: not valid JSON"),
    ('{"id": "x", "question": "q"}', "line 1: missing 'answerable'"),
    ('{"id": "x", "question": "q", "answerable": true}', "needs reference_facts and reference_sources"),
    ('{"id": "x", "question": "q", "answerable": false, "tags": ["weird"]}', "unknown tag(s) weird"),
])
def test_suite_errors_name_the_line(tmp_path, line, message):
    path = tmp_path / "s.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_suite(path)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "x", "question": "q", "answerable": false}\n' * 2)
    with pytest.raises(UserError, match="line 2: duplicate id 'x'"):
        load_suite(path)
