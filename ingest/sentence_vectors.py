"""Sentence vectors made at ingest and kept with their chunk.

The extractive answerer scores every sentence of the passages it retrieves by its closeness in
meaning to the question. Embedding those sentences one by one at answer time was most of an
answer's time (about 25 model calls a question). Instead, each sentence's vector is pooled
from the chunk's own forward pass at ingest (Embedder.encode_spans: the mean of the
sentence's token states in the chunk the model read, "late chunking"), which costs the ingest
nothing beyond the chunk's own vector.

They also rank better. Cosine to the question alone, over every candidate sentence of the
suites' answerable cases, the first sentence holding a reference fact (P@1 / MRR):
corpus 0.384 / 0.540 alone -> 0.411 / 0.593 pooled; samm 0.429 / 0.571 -> 0.429 / 0.554;
dsca-ci 0.321 / 0.507 -> 0.434 / 0.615 (a sentence read in its paragraph keeps its context).

They live in the chunk's Chroma metadata, the store's source of truth, so a keyword index
rebuilt from Chroma, an export and another machine on the same Chroma server all have them:
the sentences' spans in the chunk's text, and their vectors as float16 in base64 (768 bytes a
sentence for a 384-dimension model). A chunk written before this existed has none, and the
answerer embeds its sentences as it did before.
"""

from __future__ import annotations

import base64

import numpy as np

from ingest.sentences import split_spans

SPANS_KEY = "sentence_spans"
VECTORS_KEY = "sentence_vectors"
KEYS = (SPANS_KEY, VECTORS_KEY)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The spans the answerer scores: the sentences of the chunk's text, as it splits them."""
    return split_spans(text)


def packed(spans: list[tuple[int, int]], vectors: np.ndarray) -> dict:
    """Chunk metadata for the sentences that have a vector (a sentence past the model's token
    limit has none); {} when none has."""
    keep = [i for i in range(len(spans)) if np.isfinite(vectors[i]).all()]
    if not keep:
        return {}
    data = np.ascontiguousarray(vectors[keep], dtype=np.float16).tobytes()
    return {SPANS_KEY: ";".join(f"{spans[i][0]}:{spans[i][1]}" for i in keep),
            VECTORS_KEY: base64.b64encode(data).decode("ascii")}


def unpacked(metadata: dict) -> dict[tuple[int, int], np.ndarray]:
    """(start, end) -> vector (float32) from a chunk's metadata; {} when it has none or they
    cannot be read (a hand-edited or truncated value is not worth failing an answer for)."""
    spans_text, data = metadata.get(SPANS_KEY), metadata.get(VECTORS_KEY)
    if not spans_text or not data:
        return {}
    try:
        spans = [tuple(int(x) for x in item.split(":")) for item in spans_text.split(";")]
        vectors = np.frombuffer(base64.b64decode(data), dtype=np.float16).astype(np.float32)
        vectors = vectors.reshape(len(spans), -1)
    except (ValueError, TypeError):
        return {}
    return dict(zip(spans, vectors))


def without_vectors(metadata: dict) -> dict:
    """The metadata a reader sees (a LangChain Document, an export's listing): the vectors are
    the answerer's, not a citation's."""
    return {k: v for k, v in metadata.items() if k not in KEYS}
