"""Uploaded file names cannot write outside the upload folder; a failed upload is undone."""

from __future__ import annotations

import pytest

from assistant.frontends.ui.uploads import safe_file_name, save_upload
from ingest.errors import UserError


@pytest.mark.parametrize("name, safe", [
    ("plan.pdf", "plan.pdf"),
    ("../../etc/passwd", "passwd"),
    ("/etc/cron.d/job.txt", "job.txt"),
    ("C:\\Users\\me\\Desktop\\memo.docx", "memo.docx"),
    ("..\\..\\evil.md", "evil.md"),
    ("notes <draft>; rm -rf.txt", "notes _draft__ rm -rf.txt"),
    (".hidden.md", "hidden.md"),
    ("plan.pdf.meta.yaml", "plan.pdf.meta.yaml"),
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_names_are_reduced_to_one_plain_file_name(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize("name", ["", "..", "/", "../..", "   ", "\\"])
def test_names_with_nothing_usable_are_refused(name):
    with pytest.raises(UserError):
        safe_file_name(name)


def test_saving_stays_in_the_folder_and_undo_restores_the_previous_file(tmp_path):
    folder = tmp_path / "store" / "uploads"
    saved = save_upload(folder, "../../outside.txt", b"new")
    assert saved.path == folder / "outside.txt" and not (tmp_path / "outside.txt").exists()
    saved.undo()
    assert not saved.path.exists()
    (folder / "plan.txt").write_bytes(b"old")
    replaced = save_upload(folder, "plan.txt", b"broken")
    assert replaced.path.read_bytes() == b"broken"
    replaced.undo()
    assert (folder / "plan.txt").read_bytes() == b"old"


def test_failed_logins_are_counted_per_name_in_the_server_not_per_session():
    from assistant.frontends.ui.login import FAILED_LOGIN_DELAY, FailedLogins

    logins = FailedLogins()
    assert logins.delay("alice") == 0
    logins.failed("alice")
    logins.failed(" Alice ")  # another browser session, the same name
    assert logins.delay("alice") == 2 * FAILED_LOGIN_DELAY and logins.delay("bob") == 0
    logins.succeeded("ALICE")
    assert logins.delay("alice") == 0
