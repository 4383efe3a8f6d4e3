"""Settings: where the store is, which Chroma, which embedding model. One object, read from
command-line options over environment variables over defaults, handed to the factories."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.store import DEFAULT_COLLECTION


@dataclass(frozen=True)
class Settings:
    store_dir: Path = Path(".planassist")
    collection: str = DEFAULT_COLLECTION
    chroma_url: str | None = None
    embedding_model: Path | None = None  # a local sentence-transformers folder; None: the packaged MiniLM
    embedding_backend: str = "onnx-int8"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        settings = cls(
            store_dir=Path(env.get("PLANASSIST_STORE", ".planassist")),
            collection=env.get("PLANASSIST_COLLECTION", DEFAULT_COLLECTION),
            chroma_url=env.get("PLANASSIST_CHROMA_URL") or None,
            embedding_model=Path(env["PLANASSIST_EMBEDDING_MODEL"]) if env.get("PLANASSIST_EMBEDDING_MODEL") else None,
            embedding_backend=env.get("PLANASSIST_EMBEDDING_BACKEND", "onnx-int8"),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
