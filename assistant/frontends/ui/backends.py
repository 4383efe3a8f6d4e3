"""Which answering backends the app offers (the extractive one always; an LLM endpoint only
when Settings configure one) and whether each is reachable right now."""

from __future__ import annotations

import urllib.error
import urllib.request

from assistant.config import Settings

LABELS = {"extractive": "Extractive (no model)", "openai": "OpenAI-compatible endpoint", "ollama": "Ollama"}


def offered_backends(settings: Settings) -> list[str]:
    offered = ["extractive"]
    if settings.llm_base_url or settings.llm_api_key or settings.backend == "openai":
        offered.append("openai")
    if settings.backend == "ollama":
        offered.append("ollama")
    return offered


def status_url(backend: str, settings: Settings) -> str | None:
    if backend == "openai" and settings.llm_base_url:
        return settings.llm_base_url.rstrip("/") + "/models"
    if backend == "ollama":
        return settings.ollama_url.rstrip("/") + "/api/tags"
    return None


def backend_status(backend: str, settings: Settings, timeout: float = 2.0) -> tuple[bool, str]:
    """(ready, one line for the sidebar)."""
    if backend == "extractive":
        return True, "ready: answers with sentences picked from the documents"
    model = settings.llm_model or ("llama3.2" if backend == "ollama" else "local-model")
    url = status_url(backend, settings)
    if url is None:
        return True, f"{model} on the hosted API (not checked)"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (a configured local endpoint)
            response.read(1)
        return True, f"{model} at {url.rsplit('/', 1)[0]}: reachable"
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):  # the server answers; /models may just be hidden
            return True, f"{model} at {url.rsplit('/', 1)[0]}: reachable (HTTP {exc.code})"
        return False, f"{url.rsplit('/', 1)[0]} answered HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"{url.rsplit('/', 1)[0]} is unreachable ({reason})"
