from assistant.core.retrieval import fused_score, keyword_query


def test_found_by_both_searches_beats_found_by_one():
    both = fused_score(0.55, 8.0, 10.0)
    assert both > fused_score(0.55, None, 10.0) and both > fused_score(0.3, 8.0, 10.0)


def test_the_best_keyword_hit_can_outrank_a_closer_passage_in_meaning():
    assert fused_score(0.45, 10.0, 10.0) > fused_score(0.6, None, 10.0)
    assert fused_score(0.45, 1.0, 10.0) < fused_score(0.6, None, 10.0)


def test_missing_scores_count_as_nothing():
    assert fused_score(None, None, 10.0) == 0
    assert fused_score(0.5, -3.0, 10.0) == 0.5  # a negative bm25 never lowers a passage


def test_keyword_query_quotes_words_and_expansions():
    query = keyword_query("What is Zarvia's FY2026 FMF?", ["Foreign Military Financing"])
    assert query == '"zarvia" OR "fy2026" OR "fmf" OR "foreign military financing"'
