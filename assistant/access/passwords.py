"""Salted password hashes for the app's login, with the standard library's scrypt
(hashlib.scrypt, a memory-hard key derivation function from OpenSSL): no extra dependency
for one hash and one comparison. Stored as one string:
    scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>
so the cost can be raised later without breaking the hashes already written."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2 ** 14, 8, 1  # ~16 MB and a few tens of ms per check: cheap for a login, dear for a guesser
SALT_BYTES = 16
HASH_BYTES = 32
MAX_PASSWORD_CHARS = 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                          maxmem=256 * 1024 * 1024)


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("the password is empty")
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValueError(f"the password is longer than {MAX_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_derive(password, salt, N, R, P))}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash. Every call derives one hash of the same
    cost, whatever the password's length (empty, over the limit) and whether the hash is
    missing or malformed, so timing tells neither whether a user exists nor anything else."""
    candidate = (password or "")[:MAX_PASSWORD_CHARS]  # a megabyte of password costs no more
    try:
        scheme, n, r, p, salt, expected = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        n, r, p = int(n), int(r), int(p)
        salt, expected = base64.b64decode(salt, validate=True), base64.b64decode(expected, validate=True)
    except ValueError:
        _derive(candidate, b"\0" * SALT_BYTES, N, R, P)
        return False
    derived = _derive(candidate, salt, n, r, p)
    matches = hmac.compare_digest(derived, expected)
    return matches and bool(password) and len(password) <= MAX_PASSWORD_CHARS
