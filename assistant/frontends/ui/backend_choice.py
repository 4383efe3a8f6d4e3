"""The answering backend a user picked in the app's sidebar, kept per user so that the next
session (or login) starts with it: one small JSON file per user under the store,
`<store>/user-settings/<name>.json` (the single-user default, no login, is the user
"default"). API keys are never written there: they come from the environment
(PLANASSIST_LLM_API_KEY or OPENAI_API_KEY). No Streamlit here, so it is tested directly."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from assistant.config import Settings
from assistant.core.llm import BACKENDS
from ingest.errors import UserError

FOLDER = "user-settings"
SINGLE_USER = "default"


@dataclass(frozen=True)
class BackendChoice:
    backend: str = "extractive"  # extractive | openai | ollama
    base_url: str = ""  # the OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1
    model: str = ""  # the model name at that endpoint
    ollama_url: str = ""  # the Ollama server
    ollama_model: str = ""  # one of the models it lists

    @classmethod
    def from_settings(cls, settings: Settings) -> "BackendChoice":
        """What the configuration (environment, options) chooses, before a user picks."""
        backend = settings.backend if settings.backend in BACKENDS else "extractive"
        return cls(backend=backend, base_url=settings.llm_base_url or "",
                   model=settings.llm_model or "" if backend != "ollama" else "", ollama_url=settings.ollama_url,
                   ollama_model=settings.llm_model or "" if backend == "ollama" else "")

    def applied_to(self, settings: Settings) -> Settings:
        """The settings with this choice of backend, endpoint and model."""
        model = self.ollama_model if self.backend == "ollama" else self.model
        return replace(settings, backend=self.backend, llm_base_url=self.base_url or None,
                       llm_model=model or None, ollama_url=self.ollama_url or settings.ollama_url)

    def effective(self) -> "BackendChoice":
        """Only the fields this backend uses: what an answerer built for it depends on (an
        endpoint typed in and left when going back to extractive changes nothing)."""
        if self.backend == "openai":
            return BackendChoice("openai", base_url=self.base_url, model=self.model)
        if self.backend == "ollama":
            return BackendChoice("ollama", ollama_url=self.ollama_url, ollama_model=self.ollama_model)
        return BackendChoice(self.backend)

    @property
    def key(self) -> str:
        return json.dumps(asdict(self.effective()), sort_keys=True)


def choice_file(store_dir: Path, user: str | None) -> Path:
    """The user's file: a readable name, and a hash so that two names that read alike do not
    share one."""
    name = user or SINGLE_USER
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:40].strip("._") or "user"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return Path(store_dir) / FOLDER / f"{readable}-{digest}.json"


def load_choice(store_dir: Path, user: str | None, default: BackendChoice) -> BackendChoice:
    """The user's saved choice, or `default` when none is saved. A file that cannot be read is
    UserError naming it and the reason."""
    path = choice_file(store_dir, user)
    if not path.is_file():
        return default
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: the saved backend choice cannot be read ({exc}); pick the backend again") from None
    known = {f.name for f in fields(BackendChoice)}
    if not isinstance(data, dict) or not set(data) <= known or not all(isinstance(v, str) for v in data.values()):
        raise UserError(f"{path}: the saved backend choice is not a JSON object of {', '.join(sorted(known))}; "
                        "pick the backend again")
    if data.get("backend", "extractive") not in BACKENDS:
        raise UserError(f"{path}: unknown backend '{data['backend']}' (use one of {', '.join(BACKENDS)})")
    return BackendChoice(**data)


def save_choice(store_dir: Path, user: str | None, choice: BackendChoice) -> Path:
    """Written whole and then renamed into place, so a reader never sees half a file."""
    path = choice_file(store_dir, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(asdict(choice), indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
    return path
