from assistant.core.passages import Passage
from assistant.core.retrieval import HybridSearch, fused_score, keyword_terms, selective_terms


def test_found_by_both_searches_beats_found_by_one():
    both = fused_score(0.55, 8.0, 10.0)
    assert both > fused_score(0.55, None, 10.0) and both > fused_score(0.3, 8.0, 10.0)


def test_the_best_keyword_hit_can_outrank_a_closer_passage_in_meaning():
    assert fused_score(0.45, 10.0, 10.0) > fused_score(0.6, None, 10.0)
    assert fused_score(0.45, 1.0, 10.0) < fused_score(0.6, None, 10.0)


def test_missing_scores_count_as_nothing():
    assert fused_score(None, None, 10.0) == 0
    assert fused_score(0.5, -3.0, 10.0) == 0.5  # a negative bm25 never lowers a passage


def test_keyword_terms_quote_words_and_expansions():
    terms = keyword_terms("What is Zarvia's FY2026 FMF?", ["Foreign Military Financing"])
    assert terms == ['"zarvia"', '"fy2026"', '"fmf"', '"foreign military financing"']


def test_words_in_most_chunks_are_left_out_of_the_keyword_query_but_never_all():
    # bm25 ranks nothing with a word in over half the rows; searching for it only costs time.
    assert selective_terms({'"security"': 0.64, '"fmf"': 0.02, '"zarvia"': 0.5}) == ['"fmf"', '"zarvia"']
    assert selective_terms({'"security"': 0.64, '"policy"': 0.58}) == ['"policy"']


def dense_hits(similarities):
    return [(f"d-{i:05d}", 1 - s) for i, s in enumerate(similarities)]


def test_only_keyword_hits_that_could_make_the_k_best_have_their_vectors_read():
    # 100 dense hits, the farthest at similarity 0.40; the 2nd best scores 0.80. A keyword-only
    # hit is bounded by 0.40 + slack + its keyword share: the best keyword hit (0.40 + 0.1 +
    # 0.3 = 0.80) may rank, one with a tenth of the best bm25 (0.53 at most) cannot.
    dense = dense_hits([0.8, 0.7] + [0.4] * 98)
    candidates = {c: Passage(c, "", {}, dense_score=1 - d, score=1 - d) for c, d in dense}
    hits = [("k-best", 10.0), ("k-weak", 1.0), ("d-00001", 9.0)]
    candidates["d-00001"].score = fused_score(0.7, 9.0, 10.0)  # 0.97: found by both searches
    assert HybridSearch._may_rank(hits, candidates, dense, 2, 10.0) == {"k-best": 10.0}


def test_every_keyword_hit_is_read_when_dense_search_returned_fewer_than_asked():
    # A small or filtered library: the dense hits are all there is, so they bound nothing.
    dense = dense_hits([0.8, 0.7, 0.4])
    candidates = {c: Passage(c, "", {}, dense_score=1 - d, score=1 - d) for c, d in dense}
    hits = [("k-best", 10.0), ("k-weak", 0.1)]
    assert HybridSearch._may_rank(hits, candidates, dense, 2, 10.0) == {"k-best": 10.0, "k-weak": 0.1}
