"""Who may see which marking: the rule table of assistant/access/profiles.py."""

import pytest

from assistant.access.profiles import UserProfile, load_users, profile_for
from assistant.config import Settings
from ingest.errors import UserError

CASES = [  # (max_marking, caveats, document marking, allowed)
    (None, (), "TOP SECRET // NOFORN", True),  # no profile limit: the single-user default
    ("UNCLASSIFIED", (), None, True),  # unmarked counts as UNCLASSIFIED
    ("UNCLASSIFIED", (), "UNCLASSIFIED", True),
    ("UNCLASSIFIED", (), "CUI", False),
    ("CUI", (), "CUI", True),
    ("CUI", (), "SECRET", False),
    ("SECRET", (), "CONFIDENTIAL", True),
    ("SECRET", (), "TOP SECRET", False),
    ("SECRET", (), "SECRET // NOFORN", False),
    ("SECRET", ("NOFORN",), "SECRET // NOFORN", True),
    ("SECRET", ("GBR",), "SECRET // REL TO USA, GBR", True),
    ("SECRET", ("REL TO GBR",), "SECRET // REL TO USA, GBR", True),
    ("SECRET", ("FRA",), "SECRET // REL TO USA, GBR", False),
    ("SECRET", ("GBR",), "SECRET // REL TO USA, GBR // NOFORN", False),
    ("SECRET", ("FOUO",), "UNCLASSIFIED // FOUO", True),
    ("SECRET", (), "UNCLASSIFIED // FOUO", False),
    ("TOP SECRET", ("NOFORN",), "COSMIC PURPLE", False),  # an unknown marking fails closed
]


@pytest.mark.parametrize("max_marking, caveats, marking, allowed", CASES)
def test_allowed(max_marking, caveats, marking, allowed):
    assert UserProfile("u", max_marking=max_marking, caveats=caveats).allowed(marking) is allowed


def test_users_file_and_settings(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  alice: {role: curator, max_marking: secret, caveats: [noforn]}\n"
                    "  bob: {max_marking: CUI, caveats: 'GBR, FOUO', password_hash: 'x'}\n")
    users = load_users(path)
    assert users["alice"] == UserProfile("alice", "curator", "SECRET", ("NOFORN",))
    assert users["bob"] == UserProfile("bob", "reader", "CUI", ("GBR", "FOUO"))
    settings = Settings(user_file=path)
    assert profile_for(settings, "bob") == users["bob"]
    with pytest.raises(UserError, match="name one with --user"):
        profile_for(settings)
    with pytest.raises(UserError, match="no user 'carol'"):
        profile_for(settings, "carol")
    assert profile_for(Settings()) is None
    assert profile_for(Settings(max_marking="cui", caveats="noforn")) == UserProfile("local", "reader", "CUI", ("NOFORN",))


@pytest.mark.parametrize("text, message", [
    ("users: [alice]", "must hold a mapping"),
    ("users:\n  alice: {max_marking: ULTRA}", "unknown max_marking 'ULTRA'"),
    ("users:\n  alice: {role: admin}", "unknown role 'admin'"),
    ("users: {alice: [1", "not valid YAML"),
])
def test_bad_users_file_is_one_clear_message(tmp_path, text, message):
    path = tmp_path / "users.yaml"
    path.write_text(text)
    with pytest.raises(UserError, match=message):
        load_users(path)


def test_an_entry_without_max_marking_is_unclassified_without_caveats(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  carol: {role: reader}\n  dan:\n")
    users = load_users(path)
    assert users["carol"].max_marking == "UNCLASSIFIED" and users["carol"].caveats == ()
    assert not users["dan"].allowed("CUI") and users["dan"].allowed("UNCLASSIFIED")


@pytest.mark.parametrize("name, text", [
    ("users.yaml", "users:\n  alice: {max_marking: UNCLASSIFIED}\n  alice: {max_marking: TOP SECRET}\n"),
    ("users.json", '{"users": {"alice": {"max_marking": "CUI"}, "alice": {"max_marking": "SECRET"}}}'),
])
def test_a_duplicate_user_is_an_error_not_a_silent_winner(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(UserError, match="'alice' appears twice"):
        load_users(path)


def test_unknown_caveats_are_required():
    assert not UserProfile("u", max_marking="SECRET", caveats=("NOFORN",)).allowed("SECRET // ORCON")
    assert UserProfile("u", max_marking="SECRET", caveats=("ORCON",)).allowed("SECRET // ORCON")
