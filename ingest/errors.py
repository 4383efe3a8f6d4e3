"""Errors a user can cause, turned into one clear line at the CLI and app boundary."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Something the user can fix (bad option, missing store, unreachable server)."""


class DocumentError(UserError):
    """One file cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")
