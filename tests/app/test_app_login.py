"""Access to the app through AppTest, on the bundled corpus in a real store with the real
embedding model: the login when a users file is set, roles (readers see the list, not the
controls, and the change functions refuse them), need-to-know on every page's output, and
the single-user default without a file."""

from __future__ import annotations

import json

import pytest

from app_helpers import app_test, no_exceptions, plain

pytestmark = pytest.mark.slow

MEMO_TITLE = "J5 Memorandum: FY2027 Security Cooperation Program Build"
MEMO_FILE = "j5_fy2027_program_build_memo.txt"
MEMO_QUESTION = "Why did J5-SC send back the cold-weather survival seats and the space situational awareness workshop?"
PASSWORDS = {"cora": "cora-pass-1", "rita": "rita-pass-2", "uma": "uma-pass-3"}


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    from assistant.access.users_file import save_user

    path = tmp_path / "users.yaml"
    save_user(path, "cora", password=PASSWORDS["cora"], role="curator", max_marking="CUI")
    save_user(path, "rita", password=PASSWORDS["rita"], role="reader", max_marking="CUI")
    save_user(path, "uma", password=PASSWORDS["uma"], role="reader", max_marking="UNCLASSIFIED")
    monkeypatch.setenv("PLANASSIST_USER_FILE", str(path))
    monkeypatch.setattr("assistant.frontends.ui.login.FAILED_LOGIN_DELAY", 0.2)
    from assistant.frontends.ui.login import FailedLogins

    monkeypatch.setattr("assistant.frontends.ui.login.FAILED_LOGINS", FailedLogins())  # counts live in the process
    return path


def sign_in(at, name: str, password: str | None = None):
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password if password is not None else PASSWORDS[name])
    at.button[0].click().run()
    no_exceptions(at)
    return at


def signed_in(name: str, page: str | None = None):
    at = sign_in(app_test(), name)
    assert at.chat_input, f"{name} is not signed in: {[e.value for e in at.error]}"
    if page:
        at.switch_page(f"assistant/frontends/ui/pages/{page}.py").run()
        no_exceptions(at)
    return at


def documents_listed(at) -> list[str]:
    return list(at.dataframe[0].value["title"]) if at.dataframe else []


def test_a_login_is_required_and_a_wrong_password_refused(corpus_store, users_file):
    at = app_test()
    no_exceptions(at)
    assert not at.chat_input and at.text_input(key="login_password")  # the login, nothing else
    at.switch_page("assistant/frontends/ui/pages/documents.py").run()
    assert not at.dataframe and not at.chat_input  # no page runs before the login
    sign_in(at, "rita", "not-her-password")
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    assert not at.chat_input
    sign_in(at, "nobody", "rita-pass-2")  # an unknown user gets the same message
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    third = sign_in(app_test(), "rita", "still-not-hers")  # failures count per name, in any session
    assert "2 failed attempts" in third.error[0].value
    other = app_test()  # another session is not signed in by this one's login
    sign_in(at, "rita")
    assert not at.error and MEMO_TITLE in documents_listed(at)  # the page asked for runs now
    assert "login_password" not in at.session_state  # the password does not stay in the session
    assert any("Signed in as **rita** (reader; up to CUI" in c.value for c in at.sidebar.caption)
    other.run()
    assert not other.chat_input and other.text_input(key="login_password")
    at.sidebar.button(key="logout").click().run()  # logging out forgets the session
    no_exceptions(at)
    assert not at.dataframe and not at.chat_input and at.text_input(key="login_password")


def test_a_reader_sees_the_list_but_cannot_change_the_store(corpus_store, users_file):
    from assistant.access.profiles import load_users
    from assistant.frontends.ui import curation
    from assistant.frontends.ui.resources import get_embedder, get_store

    at = signed_in("rita", "documents")
    assert MEMO_TITLE in documents_listed(at)
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.key in ("ingest", "save_fields", "remove")]
    # the list's search, filters and order, but none of the curator's controls
    assert not [w for w in at.selectbox if w.key in ("edit_doc", "upload_type") or w.key.startswith("type-")]
    assert not [w for w in at.text_input if w.key == "upload_marking" or w.key.startswith("marking-")]
    assert any("You are a reader" in c.value for c in at.caption)
    # the change functions refuse a reader whatever the page shows
    reader = load_users(users_file)["rita"]
    store = get_store()
    memo = next(d for d in store.documents() if d.source == MEMO_FILE)
    with pytest.raises(curation.NotAllowed):
        curation.remove_document(reader, store, memo.doc_id)
    with pytest.raises(curation.NotAllowed):
        curation.set_fields(reader, store, memo.doc_id, "guidance", "SECRET")
    with pytest.raises(curation.NotAllowed):
        curation.add_documents(reader, [("x.txt", b"1. Some text about ports.")], store, get_embedder())
    after = next(d for d in store.documents() if d.source == MEMO_FILE)
    assert (after.doc_id, after.marking, after.doc_type) == (memo.doc_id, memo.marking, memo.doc_type)
    assert not (store.store_dir / "uploads" / "x.txt").exists()


def test_a_curator_marks_a_document_and_a_reader_below_it_sees_nothing_of_it(corpus_store, users_file):
    curator = signed_in("cora", "documents")
    assert curator.get("file_uploader") and curator.button(key="remove")
    curator.selectbox(key="edit_doc").select(
        next(o for o in curator.selectbox(key="edit_doc").options if o.startswith(MEMO_TITLE)))
    curator.run()
    doc_key = next(t.key for t in curator.text_input if t.key and t.key.startswith("marking-"))
    curator.text_input(key=doc_key).input("cui").run()
    curator.button(key="save_fields").click().run()
    no_exceptions(curator)
    assert any(plain(s.value).endswith("marking CUI") for s in curator.success)

    # a reader cleared for CUI gets the memo's answer, cited (so the question does reach it)
    rita = signed_in("rita")
    rita.chat_input[0].set_value(MEMO_QUESTION).run()
    no_exceptions(rita)
    answer = rita.session_state["turns"][-1].answer
    assert not answer.refused and MEMO_FILE in {c.source for c in answer.citations}
    assert answer.marking.startswith("CUI")  # the highest marking of its sources

    # a reader cleared for UNCLASSIFIED only: not its answer, sources, closest passages or row
    uma = signed_in("uma")
    assert not any(o.startswith(MEMO_TITLE) for o in uma.multiselect(key="filter_docs").options)
    uma.chat_input[0].set_value(MEMO_QUESTION).run()
    no_exceptions(uma)
    answer = uma.session_state["turns"][-1].answer
    shown = {c.source for c in answer.citations + answer.closest}
    assert shown and MEMO_FILE not in shown  # (other documents may answer parts of it)
    page_text = " ".join([m.value for m in uma.markdown] + [c.value for c in uma.caption] +
                         [w.value for w in uma.warning])
    assert MEMO_FILE not in page_text and "J5 Memorandum" not in page_text
    uma.switch_page("assistant/frontends/ui/pages/documents.py").run()
    listed = documents_listed(uma)
    assert listed and MEMO_TITLE not in listed
    assert MEMO_TITLE in documents_listed(rita.switch_page("assistant/frontends/ui/pages/documents.py").run())

    # the audit names each user, and uma's line holds nothing retrieved from the memo
    from assistant.frontends.ui.resources import get_store

    memo_id = next(d.doc_id for d in get_store().documents() if d.source == MEMO_FILE)
    lines = [json.loads(l) for l in (corpus_store / "audit.jsonl").read_text().splitlines()]
    by_user = {l["user"]: l for l in lines if l["question"] == MEMO_QUESTION}
    assert set(by_user) == {"rita", "uma"}
    assert memo_id in {r["doc_id"] for r in by_user["rita"]["retrieved"]}
    assert memo_id not in {r["doc_id"] for r in by_user["uma"]["retrieved"]}


def test_drafting_and_mapping_see_only_allowed_documents(corpus_store, users_file):
    """The other output paths, through the same session objects the pages use."""
    from assistant.access.profiles import load_users
    from assistant.features.drafting.draft import draft_section
    from assistant.features.drafting.templates import Template
    from assistant.features.mapping.objectives_from_corpus import objectives_from_store
    from assistant.core.retrieval import HybridSearch
    from ingest.reader import StoreReader
    from assistant.frontends.ui.resources import get_assistant, get_embedder, get_store

    store = get_store()
    memo = next(d for d in store.documents() if d.source == MEMO_FILE)
    with store.writer_lock(wait_seconds=30):
        store.set_document_fields(memo.doc_id, marking="CUI")
    uma = load_users(users_file)["uma"]
    # a curator cannot change or remove a document above their own access either
    from assistant.access.profiles import UserProfile
    from assistant.frontends.ui import curation
    from ingest.errors import UserError

    low_curator = UserProfile("carl", role="curator", max_marking="UNCLASSIFIED")
    with pytest.raises(UserError):
        curation.remove_document(low_curator, store, memo.doc_id)
    with pytest.raises(UserError):
        curation.set_fields(low_curator, store, memo.doc_id, "guidance", "UNCLASSIFIED")
    assert next(d for d in store.documents() if d.doc_id == memo.doc_id).marking == "CUI"
    view = StoreReader(store).visible_to(uma)
    assert memo.doc_id not in {d.doc_id for d in view.documents()} and not view.document_chunks(memo.doc_id)
    assert memo.doc_id in {d.doc_id for d in StoreReader(store).visible_to(None).documents()}
    # drafting: a section whose question the memo answers; drafted for the single-user
    # default it cites the memo, drafted for uma it does not
    template = Template(name="returns", title="Returned nominations", questions=(MEMO_QUESTION,))
    everyone = draft_section(get_assistant().for_profile(None), template)
    assert MEMO_FILE in {s.source for s in everyone.sources}
    draft = draft_section(get_assistant().for_profile(uma), template)
    assert MEMO_FILE not in {s.source for s in draft.sources}
    # mapping evidence searches through the view
    search = HybridSearch(view, get_embedder())
    passages = search.search("cold-weather survival seats space situational awareness workshop returned", 20)
    assert passages and memo.doc_id not in {p.doc_id for p in passages}
    assert memo.doc_id in {p.doc_id for p in HybridSearch(store, get_embedder()).search(
        "cold-weather survival seats space situational awareness workshop returned", 20)}
    objectives_from_store(view)  # reads only visible chunks (no error on a filtered view)


def test_without_a_users_file_the_laptop_default_needs_no_login(corpus_store, monkeypatch):
    monkeypatch.delenv("PLANASSIST_USER_FILE", raising=False)
    at = app_test()
    no_exceptions(at)
    assert at.chat_input and not [t for t in at.text_input if t.key == "login_password"]
    assert any("Single-user mode" in c.value for c in at.sidebar.caption)
    at.switch_page("assistant/frontends/ui/pages/documents.py").run()
    no_exceptions(at)
    assert at.get("file_uploader") and at.button(key="remove") and MEMO_TITLE in documents_listed(at)


def test_a_missing_users_file_is_one_clear_message(corpus_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANASSIST_USER_FILE", str(tmp_path / "nowhere.yaml"))
    at = app_test()
    no_exceptions(at)
    assert not at.chat_input and len(at.error) == 1 and "does not exist" in at.error[0].value


def test_a_marking_limit_from_the_settings_keeps_the_laptop_user_a_curator(corpus_store, monkeypatch):
    monkeypatch.delenv("PLANASSIST_USER_FILE", raising=False)
    monkeypatch.setenv("PLANASSIST_MAX_MARKING", "UNCLASSIFIED")
    from assistant.frontends.ui.resources import get_store

    memo = next(d for d in get_store().documents() if d.source == MEMO_FILE)
    with get_store().writer_lock(wait_seconds=30):
        get_store().set_document_fields(memo.doc_id, marking="CUI")
    at = app_test("documents")
    no_exceptions(at)
    assert at.get("file_uploader") and at.button(key="remove")
    listed = documents_listed(at)
    assert listed and MEMO_TITLE not in listed
