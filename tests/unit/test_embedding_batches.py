"""Embedding batches are sized by their longest text: a short text first must not open a batch
of hundreds padded to the longest length (it held 1.3 GB of activations at once)."""

from ingest.embedding import BATCH_TOKENS, _batch_from


def batches(lengths):
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    found, position = [], 0
    while position < len(order):
        batch = _batch_from(order, position, lengths)
        found.append(batch)
        position += len(batch)
    return found


def test_a_batch_padded_to_its_longest_text_fits_the_token_budget():
    lengths = [3] * 5 + [40] * 20 + [256] * 6 + [300]  # 300: longer than the budget allows two of
    made = batches(lengths)
    assert sorted(i for batch in made for i in batch) == list(range(len(lengths)))  # each text once
    for batch in made:
        longest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * longest <= BATCH_TOKENS, (batch, longest)
    # the short texts do not drag the long ones into their batch
    assert all(len(batch) <= 2 for batch in made if max(lengths[i] for i in batch) == 256)


def test_texts_are_taken_in_the_order_given():
    lengths = [10, 10, 10]
    assert batches(lengths) == [[0, 1, 2]]
