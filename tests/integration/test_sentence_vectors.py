"""The extractive answerer embeds a question's sentences several at a time, each alone: its
vectors must be the very ones the model gives a sentence on its own (the int8 model quantizes
per call, so a sentence embedded beside others would get another vector, and an answer would
depend on what was embedded with it)."""

from __future__ import annotations

import numpy as np

from assistant.core import extractive
from assistant.core.extractive import ExtractiveAnswerer

SENTENCES = [
    "The Security Cooperation Organization submits the Letter of Request through the Combatant Command.",
    "Section 333 programs require congressional notification fifteen days before activities begin.",
    "Leahy vetting applies to every unit that receives training.",
    "The implementing agency prepares the Letter of Offer and Acceptance within 45 days.",
    "FY2026 funds expire on 30 September 2027.",
    "An assessment, monitoring and evaluation plan is part of every significant security cooperation initiative.",
    "Training: the partner's maintainers attend a 12-week course.",
    "The Ambassador approves the country plan.",
]


def test_sentences_embedded_together_get_the_vectors_each_gets_alone(embedder, monkeypatch):
    monkeypatch.setattr(extractive, "EMBED_WORKERS", 2)  # several at once even on a 1-core runner
    alone = np.stack([embedder.encode([s])[0] for s in SENTENCES])
    together = ExtractiveAnswerer(embedder)._sentence_vectors(SENTENCES)
    assert np.array_equal(together, alone)
    batched = embedder.encode(SENTENCES)  # what embedding them in one batch would have given
    assert not np.array_equal(batched, alone)
