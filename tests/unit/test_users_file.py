"""The users file for the app's login: `planassist users ...` writes salted scrypt hashes
(never the password), keeps the other users and keys, mode 0600, and a login checks against
the hash."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import yaml

from assistant.access.passwords import hash_password, verify_password
from assistant.access.users_file import authenticate, find_user, save_user
from ingest.errors import UserError


def test_the_same_password_hashes_differently_and_verifies():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")  # salted
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct horse!", first)
    assert not verify_password("correct horse", None) and not verify_password("x", "garbage")


def run_cli(*args, stdin: str, env_file=None):
    env = {**os.environ}
    if env_file:
        env["PLANASSIST_USER_FILE"] = str(env_file)
    return subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "users", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_users_cli_writes_hashes_never_plaintext(tmp_path):
    path = tmp_path / "conf" / "users.yaml"
    result = run_cli("add", "alice", "--role", "curator", "--max-marking", "cui", "--caveats", "GBR",
                     "--password-stdin", stdin="s3cret-Alice\n", env_file=path)
    assert result.returncode == 0, result.stderr
    # prompted twice (with confirmation) when no --password-stdin
    result = run_cli("add", "bob", "--file", str(path), stdin="s3cret-Bob\ns3cret-Bob\n")
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    assert "s3cret" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    users = yaml.safe_load(text)["users"]
    assert users["alice"]["role"] == "curator" and users["alice"]["max_marking"] == "CUI"
    assert users["alice"]["caveats"] == ["GBR"] and users["bob"]["role"] == "reader"
    alice = authenticate(path, "alice", "s3cret-Alice")
    assert alice and alice.role == "curator" and alice.max_marking == "CUI" and alice.caveats == ("GBR",)
    assert authenticate(path, "alice", "s3cret-Bob") is None
    assert authenticate(path, "nobody", "s3cret-Alice") is None
    # a new password replaces the hash and keeps the rest
    result = run_cli("passwd", "alice", "--password-stdin", stdin="new-one\n", env_file=path)
    assert result.returncode == 0, result.stderr
    assert authenticate(path, "alice", "new-one").max_marking == "CUI"
    assert authenticate(path, "alice", "s3cret-Alice") is None
    listing = run_cli("list", stdin="", env_file=path)
    assert "alice\tcurator\tCUI\tGBR" in listing.stdout and "scrypt" not in listing.stdout
    # mistakes are one line, not a traceback
    bad = run_cli("add", "carol", "--role", "admin", "--password-stdin", stdin="x\n", env_file=path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    missing = run_cli("passwd", "zed", "--password-stdin", stdin="x\n", env_file=path)
    assert missing.returncode != 0 and "no user 'zed'" in missing.stderr


def test_save_keeps_other_keys_and_maps_emails(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  dana: {role: reader, max_marking: UNCLASSIFIED, email: Dana@example.org, note: kept}\n")
    save_user(path, "dana", password="pw-dana")
    data = yaml.safe_load(path.read_text())["users"]["dana"]
    assert data["note"] == "kept" and data["max_marking"] == "UNCLASSIFIED" and data["password"].startswith("scrypt$")
    assert find_user(path, "dana@EXAMPLE.org") == "dana" and find_user(path, "dana") == "dana"
    assert find_user(path, "eve@example.org") is None
    with pytest.raises(UserError):
        save_user(path, "two words", password="x")
    with pytest.raises(UserError):
        save_user(path, "erin", password="")


def test_a_proxy_or_provider_login_maps_to_a_profile_or_is_refused(tmp_path):
    from assistant.frontends.ui.login import identity_profile

    path = tmp_path / "users.yaml"
    save_user(path, "dana", role="curator", max_marking="CUI", email="dana@example.org")
    assert identity_profile(path, "Dana@Example.org", "the header").name == "dana"
    assert identity_profile(path, "dana", "the header").role == "curator"
    for login in (None, "", "  ", "eve@example.org"):
        with pytest.raises(UserError):
            identity_profile(path, login, "the header")


def test_every_check_costs_one_hash_whatever_the_user_or_password(monkeypatch, tmp_path):
    """authenticate must not answer faster for an existing user with an empty or an over-long
    password than for an unknown one: each derives exactly one scrypt hash of the same cost."""
    import assistant.access.passwords as passwords

    path = tmp_path / "users.yaml"
    save_user(path, "alice", password="s3cret-Alice")
    calls = []
    real = passwords._derive
    monkeypatch.setattr(passwords, "_derive", lambda pw, salt, n, r, p: calls.append((len(pw), n, r, p))
                        or real(pw, salt, n, r, p))
    for name, password in [("alice", ""), ("alice", "x" * 100_000), ("alice", "wrong"), ("nobody", ""),
                           ("nobody", "x" * 100_000), ("alice", "s3cret-Alice")]:
        calls.clear()
        authenticate(path, name, password)
        assert len(calls) == 1 and calls[0][0] <= passwords.MAX_PASSWORD_CHARS, (name, len(password))
        assert calls[0][1:] == (passwords.N, passwords.R, passwords.P)
    assert authenticate(path, "alice", "s3cret-Alice") is not None
    assert authenticate(path, "alice", "") is None
