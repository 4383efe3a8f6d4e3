"""The evaluation metrics on fixtures computed by hand (figures in the comments)."""

import math

import pytest

from evals import metrics as m


def test_ranked_retrieval_metrics():
    # ranks 1..4: miss, ref 0, ref 0 again (no new gain), ref 1; two gold references
    matches = [set(), {0}, {0}, {1}]
    assert m.first_hits(matches) == [0, 1, 0, 1]
    assert m.hit_at(matches, 1) == 0.0 and m.hit_at(matches, 5) == 1.0
    assert m.mrr_at(matches, 10) == 0.5 and m.mrr_at(matches, 1) == 0.0
    dcg = 1 / math.log2(3) + 1 / math.log2(5)  # 0.63093 + 0.43068
    ideal = 1 + 1 / math.log2(3)  # 1.63093
    assert m.ndcg_at(matches, 10, 2) == pytest.approx(dcg / ideal) == pytest.approx(0.65092, abs=1e-5)
    assert m.ndcg_at([{0}], 10, 1) == 1.0 and m.ndcg_at([set()] * 12, 10, 1) == 0.0
    assert m.ndcg_at([set()] * 10 + [{0}], 10, 1) == 0.0  # beyond k


def test_passage_matching_by_level():
    ref = {"source": "a.pdf", "section": "4.b", "page": 7}
    assert m.passage_matches(ref, "paragraph", "a.pdf", "4.b.(2)", 6, 7)
    assert not m.passage_matches(ref, "paragraph", "a.pdf", "4.c", 7, 7)
    assert m.passage_matches(ref, "paragraph", "a.pdf", None, 7, 7) is None  # naive chunks: no sections
    assert m.passage_matches(ref, "page", "a.pdf", None, 6, 8) and not m.passage_matches(ref, "page", "a.pdf", None, 8, 9)
    assert m.passage_matches({"source": "a.pdf", "page": 3}, "paragraph", "a.pdf", "", 3, 3)  # page-only reference
    assert m.passage_matches({"source": "a.pdf", "section": "1"}, "page", "a.pdf", "1", 1, 1) is None
    assert m.passage_matches(ref, "document", "a.pdf") and not m.passage_matches(ref, "document", "b.pdf")
    refs = [{"source": "a.pdf", "section": "1"}, {"source": "a.pdf", "section": "2", "page": 4}]
    assert m.references_at(refs, "document") == [{"source": "a.pdf"}]
    assert m.references_at(refs, "page") == [refs[1]]


def test_token_f1_and_fact_recall():
    # answer tokens: fmf is $18 million (4); reference: zarvia gets $18 million fmf (5); common 3
    f1 = m.token_f1("The FMF is $18 million [1].", "Zarvia gets $18 million FMF.")
    assert f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert m.token_f1("", "x") == 0.0 and m.token_f1("Same words.", "same words") == 1.0
    assert m.fact_recall(["$1,450 personnel", "five nations"], "It had $1450 Personnel from seven nations.") == 0.5


def test_citation_precision_and_recall():
    sentences = ["Zarvia receives $18 million [1].", "The plan runs to 2030 [2]."]
    quotes = {1: "Zarvia receives $18 million in FY2026 FMF.", 2: "Pelora hosts the exercise.", 3: "Never cited."}
    # [1] supports its sentence; [2] shares no content word; [3] is carried by no sentence
    assert m.citation_precision(sentences, quotes) == pytest.approx(1 / 3)
    assert m.citation_recall(sentences, quotes) == 0.5
    assert m.citation_recall(sentences, quotes, unsupported=["Zarvia receives $18 million [1]."]) == 0.0
    assert m.citation_precision([], {}) is None and m.citation_recall([], {}) is None


def test_a_reference_fact_makes_a_quote_support_its_sentence():
    sentence = "Castellanos signed the plan on 1 October 2025 in Tampa with staff present [1]."
    quote = "Effective 1 October 2025."  # 3 of 9 content words: below the 0.5 share
    assert not m.supports(sentence, quote)
    assert m.supports(sentence, quote, facts=["1 October 2025"])
    assert not m.supports(sentence, quote, facts=["Tampa"])  # the quote must hold the fact too


def test_aggregates_and_bootstrap():
    assert m.percentile([10, 20, 30, 40], 50) == 25 and m.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert m.mean([1.0, None, 0.0]) == 0.5 and m.mean([None]) is None
    assert m.bootstrap_ci([0.5] * 10) == (0.5, 0.5)
    values = [1.0] * 8 + [0.0] * 2
    lo, hi = m.bootstrap_ci(values, seed=3)
    assert (lo, hi) == m.bootstrap_ci(values, seed=3)  # seeded
    assert 0.5 <= lo <= 0.8 <= hi <= 1.0
    diff, lo, hi = m.paired_difference_ci([1, 1, 0], [1, 0, 0])
    assert diff == pytest.approx(1 / 3) and lo >= 0 and hi <= 1


def test_junk_is_debris_not_a_reference_the_document_cites():
    # enumerator labels, markup and cover fields are debris in an answer ...
    assert m.junk_found("The plan has three parts e.") == ["enumerator"]
    assert m.junk_found("(2) The office reports monthly [1].") == ["enumerator"]
    assert m.junk_found("Prepared by: J5 staff") == ["cover field"]
    assert m.junk_found("Budget \\newpage follows") == ["markup"]
    # ... but a reference the document cites by its letter is its text (it had counted as junk
    # on a list item ending "in accordance with Reference (a)")
    assert m.junk_found("- Activities funded in accordance with Reference (a) [3]") == []
    assert m.junk_found("- Members excluded under section 115(i) [2]") == []


def test_fact_first_asks_whether_the_opening_line_carries_the_fact():
    facts = ["12 years"]
    leads = "Direct loans are repaid over a period not to exceed 12 years [1]. The AECA governs them [2]."
    trails = "The AECA governs direct loans [2]. They are repaid over a period not to exceed 12 years [1]."
    assert m.fact_first(leads, facts) == 1.0
    assert m.fact_first(trails, facts) == 0.0
    assert m.answer_precision(leads, facts) == m.answer_precision(trails, facts) == 0.5  # precision cannot tell
    listed = "The plan names two gaps:\n- Radar coverage [1]\n- Maintenance [2]"
    assert m.fact_first(listed, ["Radar coverage"]) == 1.0  # a list's lead and its first item
    assert m.fact_first("", facts) is None and m.fact_first(leads, []) is None
