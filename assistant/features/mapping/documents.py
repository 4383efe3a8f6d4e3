"""The one place the mapping reads the store: passages for a query and their stored vectors.
Evidence (evidence.py), the bridge between wordings (features.py) and the gap explanations
(gaps.py) all go through here, so a reader that filters by need-to-know (visible_to(profile))
replaces this class alone."""

from __future__ import annotations

import numpy as np


class MappingDocuments:
    def __init__(self, search):
        """search: an assistant.core.retrieval.HybridSearch over the store."""
        self.search = search
        self._vectors: dict[str, np.ndarray] = {}
        self._objectives: list | None = None

    def objectives(self) -> list:
        """The objectives the documents themselves state ("TCO 2: ...", "IMO 2.3: ..."), once per run."""
        if self._objectives is None:
            from assistant.features.mapping.objectives_from_corpus import objectives_from_store

            self._objectives = objectives_from_store(self.search.store)
        return self._objectives

    def passages(self, query: str, k: int):
        return self.search.search(query, k)

    def vectors(self, chunk_ids: list[str]) -> np.ndarray:
        """Unit vectors of the passages as stored by ingestion (no re-embedding: the CPU is
        the bottleneck and Chroma already holds them), in the order asked; cached per run."""
        missing = [c for c in dict.fromkeys(chunk_ids) if c not in self._vectors]
        if missing:
            for chunk_id, vector in self.search.store.embeddings(missing).items():  # the store reader's
                vector = np.asarray(vector, dtype=np.float32)
                self._vectors[chunk_id] = vector / (np.linalg.norm(vector) or 1.0)
        found = [self._vectors[c] for c in chunk_ids if c in self._vectors]
        return np.vstack(found) if found else np.zeros((0, 0), dtype=np.float32)
