"""The documents page through AppTest: upload and ingest, per-file errors, safe file names,
type and marking, removal, on a real store with the real embedding model."""

from __future__ import annotations

import pytest

from app_helpers import app_test, no_exceptions, plain
from helpers import PLAN_TEXT

pytestmark = pytest.mark.slow


def stored(store_dir):
    from assistant.config import Settings
    from assistant.frontends.ui.resources import get_store

    assert Settings.from_env().store_dir == store_dir
    return {d.source: d for d in get_store().documents()}


def test_upload_ingests_good_files_and_names_the_bad_ones(tmp_path):
    at = app_test("documents")
    at.file_uploader[0].set_value([
        ("testland_plan.txt", PLAN_TEXT.encode(), "text/plain"),
        ("../../../escape.md", b"# Escape\n\n1. The Blue Strait ferry runs twice a week between its two ports.\n",
         "text/markdown"),
        ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "application/pdf"),
    ]).run()
    at.button(key="ingest").click().run()
    no_exceptions(at)
    assert sorted(plain(s.value) for s in at.success) == ["../../../escape.md: added: 1 pages, 1 chunks",
                                                          "testland_plan.txt: added: 1 pages, 3 chunks"]
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("broken.pdf: failed")
    store_dir = tmp_path / "store"
    uploads = store_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["escape.md", "testland_plan.txt"]  # broken.pdf taken out
    assert not (tmp_path / "escape.md").exists() and not (store_dir / "escape.md").exists()
    documents = stored(store_dir)
    assert set(documents) == {"testland_plan.txt", "escape.md"}
    # the uploaded document answers on the chat page
    chat = app_test()
    chat.chat_input[0].set_value("How many sailors does the Testland navy have?").run()
    no_exceptions(chat)
    assert any("900 sailors" in m.value for m in chat.markdown)


def test_a_failed_new_version_leaves_the_previous_one_in_place(tmp_path):
    at = app_test("documents")
    at.file_uploader[0].set_value([("plan.txt", PLAN_TEXT.encode(), "text/plain")]).run()
    at.button(key="ingest").click().run()
    before = stored(tmp_path / "store")["plan.txt"]
    at.file_uploader[0].set_value([("plan.txt", b"\x00\x01\x02 binary junk \xff\xfe" * 50, "text/plain")]).run()
    at.button(key="ingest").click().run()
    no_exceptions(at)
    assert [plain(e.value).split(":")[0] for e in at.error] == ["plan.txt"]
    assert stored(tmp_path / "store")["plan.txt"].doc_id == before.doc_id
    assert (tmp_path / "store" / "uploads" / "plan.txt").read_text() == PLAN_TEXT


def test_the_list_shows_each_document_and_one_can_be_removed(corpus_store):
    at = app_test("documents")
    table = at.dataframe[0].value
    assert len(table) == 10 and list(table.columns)[:7] == ["title", "file", "type", "marking", "pages", "chunks",
                                                            "ingested at"]
    zarvia = next(d for d in stored(corpus_store).values() if d.source == "cscp_zarvia_fy2026-2028.pdf")
    at.selectbox(key="edit_doc").set_value(zarvia.doc_id).run()
    assert at.button(key="remove").disabled  # not without the confirmation
    at.checkbox(key=f"confirm-{zarvia.doc_id}").check().run()
    at.button(key="remove").click().run()
    no_exceptions(at)
    assert "cscp_zarvia_fy2026-2028.pdf" not in stored(corpus_store)
    assert len(stored(corpus_store)) == 9
    assert plain(at.success[0].value).startswith("removed Country Security Cooperation Plan: Kingdom of Zarvia")
    assert len(at.dataframe[0].value) == 9


def test_type_and_marking_can_be_set(corpus_store):
    at = app_test("documents")
    memo = next(d for d in stored(corpus_store).values() if d.source == "j5_fy2027_program_build_memo.txt")
    at.selectbox(key="edit_doc").set_value(memo.doc_id).run()
    at.selectbox(key=f"type-{memo.doc_id}").set_value("assessment")
    at.text_input(key=f"marking-{memo.doc_id}").input("cui").run()
    at.button(key="save_fields").click().run()
    no_exceptions(at)
    changed = stored(corpus_store)["j5_fy2027_program_build_memo.txt"]
    assert (changed.doc_type, changed.marking) == ("assessment", "CUI")
    # the chunks in Chroma (the source of truth) carry the new marking, so answers show it
    from assistant.frontends.ui.resources import get_store

    chunks = get_store().document_chunks(memo.doc_id)
    assert {m["marking"] for _, _, m in chunks} == {"CUI"} and {m["doc_type"] for _, _, m in chunks} == {"assessment"}
