"""Whether the chosen answering backend is reachable right now, as one line for the sidebar
(a cheap look at the server; the sidebar's connection test asks the model itself)."""

from __future__ import annotations

import urllib.error
import urllib.request

from assistant.config import Settings
from assistant.core.llm import DEFAULT_MODELS


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
    model = settings.llm_model or DEFAULT_MODELS.get(backend, "")
    url = status_url(backend, settings)
    if url is None:
        if not settings.llm_api_key:
            return False, "no endpoint: enter the endpoint's URL (or set PLANASSIST_LLM_API_KEY for the hosted API)"
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
