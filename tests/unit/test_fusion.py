from assistant.retrieval import keyword_query, rrf_score


def test_found_by_both_searches_beats_found_by_one():
    assert rrf_score(2, 2) > rrf_score(0, None) and rrf_score(2, 2) > rrf_score(None, 0)


def test_a_top_keyword_hit_outranks_a_middling_dense_one():
    assert rrf_score(9, 0) > rrf_score(2, None)
    assert rrf_score(None, None) == 0


def test_keyword_query_quotes_words_and_expansions():
    query = keyword_query("What is Zarvia's FY2026 FMF?", ["Foreign Military Financing"])
    assert query == '"zarvia" OR "fy2026" OR "fmf" OR "foreign military financing"'
