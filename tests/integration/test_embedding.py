"""The int8 ONNX backend stays within a small tolerance of the reference torch model."""

import numpy as np
import pytest

from ingest.embedding import Embedder


@pytest.mark.slow
def test_onnx_int8_matches_torch_reference(embedder):
    texts = ["The Foreign Military Sales process begins with a letter of request from the partner.",
             "IMET funds professional military education for Zarvian non-commissioned officers.",
             "Exercise CORAL SHIELD 25 ran from 9 to 20 June 2025 in Port Corvel with 1,450 personnel.",
             "short"]
    reference = Embedder(backend="torch").encode(texts)
    fast = embedder.encode(texts)
    cosines = (reference * fast).sum(axis=1)
    # int8 kernels differ by CPU: 0.9825 at worst ("short", a one-word text) on a machine whose
    # CPU reports AMX/VNNI, above 0.985 elsewhere; a broken export falls far below either
    assert cosines.min() > 0.975, cosines
    # rankings agree: each text is nearest to its own reference vector
    assert list((fast @ reference.T).argmax(axis=1)) == [0, 1, 2, 3]
    assert np.allclose(np.linalg.norm(fast, axis=1), 1, atol=1e-4)
