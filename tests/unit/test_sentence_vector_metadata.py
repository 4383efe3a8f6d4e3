"""Sentence vectors kept in chunk metadata (ingest/sentence_vectors.py) and the span pooling
that makes them (ingest/embedding.pool_spans): plumbing, no model."""

from __future__ import annotations

import base64

import numpy as np

from ingest.embedding import pool_spans
from ingest.sentence_vectors import KEYS, packed, unpacked, without_vectors


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_pooling_averages_the_tokens_inside_each_span_only():
    states = np.array([[9, 9], [1, 0], [3, 0], [0, 2], [9, 9]], dtype=np.float32)  # [CLS] a b c [SEP]
    offsets = np.array([[0, 0], [0, 4], [5, 9], [10, 14], [0, 0]])  # specials cover no character
    pooled = pool_spans(states, offsets, [(0, 9), (10, 14), (20, 30)])
    assert np.allclose(pooled[0], unit([2, 0]))  # mean of a and b, not of [CLS]/[SEP]
    assert np.allclose(pooled[1], unit([0, 2]))
    assert np.isnan(pooled[2]).all()  # past the tokens the model read: no vector


def test_vectors_round_trip_through_metadata_and_unread_sentences_are_left_out():
    vectors = np.stack([unit([1, 2, 3]), np.full(3, np.nan, dtype=np.float32), unit([3, 0, 1])])
    meta = packed([(0, 10), (11, 30), (31, 50)], vectors)
    assert all(isinstance(meta[k], str) for k in KEYS)  # Chroma metadata holds strings
    back = unpacked(meta)
    assert list(back) == [(0, 10), (31, 50)]
    assert np.allclose(back[(0, 10)], vectors[0], atol=1e-3)  # float16
    assert np.allclose(back[(31, 50)], vectors[2], atol=1e-3)


def test_no_vectors_or_unreadable_ones_mean_none_not_a_failure():
    assert packed([(0, 5)], np.full((1, 3), np.nan, dtype=np.float32)) == {}
    assert unpacked({"title": "x"}) == {}
    three_values = base64.b64encode(np.zeros(3, dtype=np.float16).tobytes()).decode()
    assert unpacked({"sentence_spans": "0:5;6:9", "sentence_vectors": three_values}) == {}  # not 2 rows
    assert unpacked({"sentence_spans": "0:five", "sentence_vectors": "AAAA"}) == {}


def test_readers_of_metadata_do_not_get_the_vectors():
    meta = {"title": "T", **packed([(0, 5)], unit([1, 0])[None, :])}
    assert without_vectors(meta) == {"title": "T"}
