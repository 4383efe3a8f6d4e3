"""Need-to-know by marking: who may see which documents.

A user profile holds a maximum classification level (on the ladder of ingest/metadata.LEVELS)
and the dissemination caveats the user is cleared for. A document is visible to the user when
its level is at or below the user's and every caveat on it is satisfied:
- `REL TO USA, GBR`: the user's caveats name one of those countries (`GBR` or `REL TO GBR`);
- any other caveat (`NOFORN`, `FOUO`, ...): the user's caveats include it.
An unmarked document counts as UNCLASSIFIED. A marking the ladder does not know is refused to
every user with a limit (fail closed). No profile (the single-user laptop default) sees all.

This module only decides; ingest/reader.py (StoreReader.visible_to) is the one place the
decision is applied, below every read of the store, so a document a user may not see is never
scored, answered from, cited, listed as closest, expanded as an acronym, drafted from, mapped,
exported or written to that user's audit lines.

Profiles come from a users file (PLANASSIST_USER_FILE, YAML or JSON):
    users:
      alice: {role: curator, max_marking: SECRET, caveats: [NOFORN]}
      bob:   {role: reader,  max_marking: CUI, caveats: [GBR]}
(other keys, such as a password hash for the app's login, are ignored here; an entry without
max_marking is UNCLASSIFIED without caveats, a name given twice is an error), chosen by
`--user NAME` or PLANASSIST_USER; or, without a file, from PLANASSIST_MAX_MARKING and
PLANASSIST_CAVEATS (comma separated).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.errors import UserError
from ingest.metadata import LEVELS, marking_parts, marking_rank

ROLES = ("reader", "curator")


def _countries(caveat: str) -> set[str]:
    return {c for c in re.split(r"[\s,]+", caveat[len("REL TO"):].strip()) if c}


@dataclass(frozen=True)
class UserProfile:
    name: str
    role: str = "reader"
    max_marking: str | None = None  # None: no limit
    caveats: tuple[str, ...] = ()

    def __post_init__(self):
        if self.role not in ROLES:
            raise UserError(f"user {self.name}: unknown role '{self.role}' (use {' or '.join(ROLES)})")
        if self.max_marking is not None and self.max_marking.upper() not in LEVELS:
            raise UserError(f"user {self.name}: unknown max_marking '{self.max_marking}' "
                            f"(use one of {', '.join(LEVELS)})")

    def allowed(self, marking: str | None) -> bool:
        if self.max_marking is None:
            return True
        level, caveats = marking_parts(marking)
        if level not in LEVELS or marking_rank(level) > LEVELS.index(self.max_marking.upper()):
            return False
        held = {c.strip().upper() for c in self.caveats}
        held_countries = {c[len("REL TO"):].strip() if c.startswith("REL TO") else c for c in held}
        for caveat in caveats:
            if caveat.startswith("REL TO"):
                if not _countries(caveat) & held_countries:
                    return False
            elif caveat not in held:
                return False
        return True


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip().upper() for p in (value or "").split(",") if p.strip())


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the last
    silently: a second `alice:` entry would quietly replace the first's access)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key '{key}' appears twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _unique_pairs(pairs):
    keys = [k for k, _ in pairs]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate is not None:
        raise ValueError(f"the key '{duplicate}' appears twice")
    return dict(pairs)


def read_users_data(path: Path):
    """The parsed users file (YAML or JSON); UserError when it is missing, not valid, or
    names a key twice."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        return (json.loads(text, object_pairs_hook=_unique_pairs) if path.suffix == ".json"
                else yaml.load(text, Loader=_UniqueKeyLoader))  # noqa: S506 (a SafeLoader subclass)
    except FileNotFoundError as exc:
        raise UserError(f"the users file {path} does not exist") from exc
    except (ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"the users file {path} is not valid YAML/JSON ({exc})") from exc


def load_users(path: Path) -> dict[str, UserProfile]:
    """Profiles by name. A user without max_marking may read UNCLASSIFIED only, without
    caveats (fail closed): an unlimited profile comes only from having no users file."""
    path = Path(path)
    data = read_users_data(path)
    users = (data or {}).get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise UserError(f"the users file {path} must hold a mapping 'users: {{name: {{...}}}}'")
    profiles = {}
    for name, fields in users.items():
        fields = fields or {}
        if not isinstance(fields, dict):
            raise UserError(f"the users file {path}: user {name} must be a mapping of fields")
        caveats = fields.get("caveats") or ()
        caveats = _split(caveats) if isinstance(caveats, str) else tuple(str(c).strip().upper() for c in caveats)
        max_marking = fields.get("max_marking")
        profiles[str(name)] = UserProfile(name=str(name), role=str(fields.get("role", "reader")),
                                          max_marking=str(max_marking).upper() if max_marking else LEVELS[0],
                                          caveats=caveats)
    return profiles


def profile_for(settings, name: str | None = None) -> UserProfile | None:
    """The profile to answer for: `name` (or settings.user) from settings.user_file, else a
    profile from settings.max_marking / caveats, else None (no limit)."""
    name = name or settings.user or None
    if settings.user_file:
        users = load_users(Path(settings.user_file))
        if not name:
            raise UserError(f"users are configured in {settings.user_file}: name one with --user or PLANASSIST_USER")
        if name not in users:
            raise UserError(f"no user '{name}' in {settings.user_file}")
        return users[name]
    if name and not settings.max_marking:
        raise UserError(f"--user {name} needs a users file (PLANASSIST_USER_FILE)")
    if settings.max_marking:
        return UserProfile(name=name or "local", max_marking=settings.max_marking.strip().upper(),
                           caveats=_split(settings.caveats))
    return None
