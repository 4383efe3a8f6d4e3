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
    backend: str = "extractive"  # extractive | openai | ollama
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    ollama_url: str = "http://127.0.0.1:11434"
    llm_timeout: float = 120.0
    # need-to-know (assistant/access/profiles.py): a users file and the user answered for, or a limit
    user_file: Path | None = None
    user: str | None = None
    max_marking: str | None = None
    caveats: str | None = None  # comma separated, e.g. "NOFORN, GBR"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        settings = cls(
            store_dir=Path(env.get("PLANASSIST_STORE", ".planassist")),
            collection=env.get("PLANASSIST_COLLECTION", DEFAULT_COLLECTION),
            chroma_url=env.get("PLANASSIST_CHROMA_URL") or None,
            embedding_model=Path(env["PLANASSIST_EMBEDDING_MODEL"]) if env.get("PLANASSIST_EMBEDDING_MODEL") else None,
            embedding_backend=env.get("PLANASSIST_EMBEDDING_BACKEND", "onnx-int8"),
            backend=env.get("PLANASSIST_BACKEND", "extractive"),
            llm_base_url=env.get("PLANASSIST_LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or None,
            llm_model=env.get("PLANASSIST_LLM_MODEL") or None,
            llm_api_key=env.get("PLANASSIST_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None,
            ollama_url=env.get("PLANASSIST_OLLAMA_URL", "http://127.0.0.1:11434"),
            user_file=Path(env["PLANASSIST_USER_FILE"]) if env.get("PLANASSIST_USER_FILE") else None,
            user=env.get("PLANASSIST_USER") or None,
            max_marking=env.get("PLANASSIST_MAX_MARKING") or None,
            caveats=env.get("PLANASSIST_CAVEATS") or None,
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
