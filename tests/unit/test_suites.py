"""The real-document suite's shape, and a suite corpus that holds files which cannot be ingested."""

from __future__ import annotations

import pytest

from helpers import make_pdf, write
from ingest.errors import UserError


def test_a_corpus_leaves_out_the_files_that_fail_and_names_them(tmp_path, embedder):
    from evals.runner import corpus_store

    folder = tmp_path / "library"
    make_pdf(folder.mkdir() or folder / "memo.pdf", ["1. PURPOSE. This memo sets the 90 day deadline."])
    write(folder / "page.pdf", "<!DOCTYPE html><html><body>not a PDF</body></html>")
    store, left_out = corpus_store(folder, embedder)
    assert [d.source for d in store.documents()] == ["memo.pdf"]
    assert len(left_out) == 1 and left_out[0].startswith("page.pdf: ")
    again, left_out_again = corpus_store(folder, embedder)  # the cached store names them too
    assert left_out_again == left_out and [d.source for d in again.documents()] == ["memo.pdf"]


def test_a_corpus_where_nothing_goes_in_is_refused(tmp_path, embedder):
    from evals.runner import corpus_store

    folder = tmp_path / "library"
    write(folder / "page.pdf", "<html><body>not a PDF</body></html>")
    with pytest.raises(UserError, match="no document went in"):
        corpus_store(folder, embedder)



def test_a_corpus_file_can_name_a_subset_of_its_folder(tmp_path):
    from evals.suite import corpus_files, corpus_include, suite_corpus

    for name in ("DSCA_00-01.pdf", "DSCA_07-45.pdf", "DoD_Directive_4515.12.pdf", ".hidden.pdf"):
        write(tmp_path / "docs" / name, "x")
    suite = tmp_path / "s.jsonl"
    (tmp_path / "s.corpus").write_text("docs\n\ninclude: DSCA_00-*.pdf\ninclude: DoD_*\n")
    folder = suite_corpus(suite, tmp_path)
    assert folder == (tmp_path / "docs").resolve()
    assert corpus_include(suite) == ("DSCA_00-*.pdf", "DoD_*")
    assert [p.name for p in corpus_files(folder, corpus_include(suite))] == ["DSCA_00-01.pdf", "DoD_Directive_4515.12.pdf"]
    assert [p.name for p in corpus_files(folder)] == ["DSCA_00-01.pdf", "DSCA_07-45.pdf", "DoD_Directive_4515.12.pdf"]
    with pytest.raises(UserError, match="no file of .* matches the include globs nothing-\\*"):
        corpus_files(folder, ("nothing-*",))
    (tmp_path / "s.corpus").write_text("docs\nDSCA_00-*.pdf\n")
    with pytest.raises(UserError, match="s.corpus line 2: expected 'include: GLOB'"):
        corpus_include(suite)


def test_a_subset_store_holds_only_the_included_files(tmp_path, embedder):
    from evals.runner import corpus_store

    folder = tmp_path / "library"
    folder.mkdir()
    make_pdf(folder / "memo_a.pdf", ["1. PURPOSE. This memo sets the 90 day deadline."])
    make_pdf(folder / "memo_b.pdf", ["1. PURPOSE. This memo sets the 30 day deadline."])
    subset, _ = corpus_store(folder, embedder, ("memo_a*",))
    whole, _ = corpus_store(folder, embedder)
    assert [d.source for d in subset.documents()] == ["memo_a.pdf"]
    assert sorted(d.source for d in whole.documents()) == ["memo_a.pdf", "memo_b.pdf"]

# --- the real-document suite (evals/suites/dsca.jsonl) ---------------------------------------
DSCA_MINIMUMS = {"near_miss": 25, "list": 15, "cross_document": 10, "supersession": 3, "prose": 5,
                 "names_document": 5, "scenario": 5, "two_part": 5, "acronyms": 5, "figures": 3}


def _dsca():
    from evals.suite import load_suite
    from helpers import ROOT

    return load_suite(ROOT / "evals" / "suites" / "dsca.jsonl")


def test_the_dsca_suite_has_the_kinds_of_question_planners_ask():
    cases = _dsca()
    assert len(cases) >= 120
    counts = {tag: sum(tag in c.tags for c in cases) for tag in DSCA_MINIMUMS}
    assert {t: n for t, n in counts.items() if n < DSCA_MINIMUMS[t]} == {}, counts
    assert len({s["source"] for c in cases for s in c.reference_sources}) >= 25
    assert len({c.id for c in cases}) == len(cases)
    assert all("near_miss" not in c.tags or not c.answerable for c in cases)
    assert all(len({s["source"] for s in c.reference_sources}) >= 2 for c in cases if "cross_document" in c.tags)


def test_dsca_unanswerable_cases_carry_no_facts_and_answerable_ones_a_few_short_ones():
    for case in _dsca():
        if not case.answerable:
            assert not case.reference_facts and not case.reference_sources, case.id
            continue
        assert 1 <= len(case.reference_facts) <= (6 if "list" in case.tags else 4), case.id
        assert all(len(f) <= 70 for f in case.reference_facts), case.id  # short strings, not sentences


def test_dsca_sources_are_files_of_the_declared_folder():
    from evals.suite import suite_corpus
    from helpers import ROOT

    folder = ROOT.parent / "shared" / "realdocs" / "dsca"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    assert suite_corpus(ROOT / "evals" / "suites" / "dsca.jsonl", ROOT) == folder.resolve()
    names = {p.name for p in folder.iterdir()}
    missing = {s["source"] for c in _dsca() for s in c.reference_sources} - names
    assert not missing


def test_the_naive_baseline_leaves_out_a_file_its_loader_cannot_read(tmp_path):
    from evals import naive

    make_pdf(tmp_path / "memo.pdf", ["1. PURPOSE. This memo sets the 90 day deadline."])
    write(tmp_path / "page.pdf", "<html><body>not a PDF</body></html>")
    documents = naive.load_documents(tmp_path)
    assert [d.metadata["source"].endswith("memo.pdf") for d in documents] == [True]


def test_the_ci_subset_suite_is_in_sync_and_spans_at_least_60_documents():
    import subprocess
    import sys

    from evals.suite import corpus_files, corpus_include, load_suite, suite_corpus
    from helpers import ROOT

    ci = ROOT / "evals" / "suites" / "dsca-ci.jsonl"
    if not (ROOT.parent / "shared" / "realdocs" / "dsca").is_dir():
        pytest.skip("../shared/realdocs/dsca is not on this machine")
    files = corpus_files(suite_corpus(ci, ROOT), corpus_include(ci))
    assert len(files) >= 60
    names = {p.name for p in files}
    cases = load_suite(ci)
    assert all(s["source"] in names for c in cases for s in c.reference_sources)
    assert sum(c.answerable for c in cases) >= 40 and sum(not c.answerable for c in cases) >= 20
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_ci_suite.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
