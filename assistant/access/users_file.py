"""Writing the users file (PLANASSIST_USER_FILE) and checking a login against it.

The file is the one assistant/access/profiles.py reads for profiles; each user may also hold
`password: scrypt$...` (assistant/access/passwords.py), never the password itself:
    users:
      alice: {role: curator, max_marking: CUI, caveats: [GBR], password: "scrypt$16384$8$1$..."}
Writes keep every other user and key as they were, go to a temporary file in the same
folder with mode 0600 and replace the old file in one step (os.replace), so a crash leaves
either the old file or the new one, and other local users cannot read the hashes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml

from assistant.access.profiles import UserProfile, load_users, read_users_data
from assistant.access.passwords import hash_password, verify_password
from ingest.errors import UserError


def _read_raw(path: Path) -> dict:
    if not path.exists():
        return {"users": {}}
    data = read_users_data(path) or {}
    if isinstance(data, dict):
        data["users"] = data.get("users") or {}
    if not isinstance(data, dict) or not isinstance(data["users"], dict):
        raise UserError(f"the users file {path} must hold a mapping 'users: {{name: {{...}}}}'")
    return data


def _write_atomically(path: Path, data: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (json.dumps(data, indent=2, ensure_ascii=False) + "\n" if path.suffix == ".json"
            else yaml.safe_dump(data, sort_keys=True, allow_unicode=True))
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_user(path: Path, name: str, password: str | None = None, role: str | None = None,
              max_marking: str | None = None, caveats: tuple[str, ...] | None = None,
              email: str | None = None) -> UserProfile:
    """Add a user or change the given fields of an existing one; returns the profile."""
    path = Path(path)
    name = (name or "").strip()
    if not name or any(c.isspace() for c in name):
        raise UserError(f"'{name}' is not a usable user name (no spaces)")
    data = _read_raw(path)
    fields = dict(data["users"].get(name) or {})
    if role is not None:
        fields["role"] = role
    fields.setdefault("role", "reader")
    if max_marking is not None:
        fields["max_marking"] = max_marking.strip().upper() or None
    if caveats is not None:
        fields["caveats"] = [c.strip().upper() for c in caveats if c.strip()]
    if email is not None:
        fields["email"] = email.strip() or None
    if password is not None:
        try:
            fields["password"] = hash_password(password)
        except ValueError as exc:
            raise UserError(f"user {name}: {exc}") from exc
    profile = UserProfile(name=name, role=fields["role"], max_marking=fields.get("max_marking") or "UNCLASSIFIED",
                          caveats=tuple(fields.get("caveats") or ()))  # validates role and marking
    data["users"][name] = {k: v for k, v in fields.items() if v is not None}
    _write_atomically(path, data)
    return profile


def remove_user(path: Path, name: str) -> None:
    data = _read_raw(Path(path))
    if name not in data["users"]:
        raise UserError(f"no user '{name}' in {path}")
    del data["users"][name]
    _write_atomically(Path(path), data)


def find_user(path: Path, login: str) -> str | None:
    """The user name for a login: the name itself, or the user whose `email` matches
    (case-insensitive), as a proxy or an identity provider passes it."""
    users = _read_raw(Path(path))["users"]
    if login in users:
        return login
    lowered = (login or "").strip().lower()
    for name, fields in users.items():
        if lowered and isinstance(fields, dict) and str(fields.get("email", "")).strip().lower() == lowered:
            return str(name)
    return None


def authenticate(path: Path, name: str, password: str) -> UserProfile | None:
    """The user's profile when the password matches the stored hash, else None. An unknown
    user costs the same hashing work as a known one."""
    path = Path(path)
    users = load_users(path)  # read (and checked) whether or not the name exists: the same work
    raw = _read_raw(path)["users"].get(name)
    stored = raw.get("password") if isinstance(raw, dict) else None
    if not verify_password(password, stored) or raw is None:
        return None
    return users.get(name)


def profile(path: Path, name: str) -> UserProfile | None:
    """The user's current profile (None when the user has been removed)."""
    return load_users(Path(path)).get(name)


__all__ = ["save_user", "remove_user", "find_user", "authenticate", "profile"]
