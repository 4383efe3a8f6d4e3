"""The leak matrix: for each profile, every output path over one store of marked documents,
and no fact, title or acronym expansion above the profile anywhere in what it gets.

Documents carry their markings the ways real files do (a plain banner, "S//NF", "**SECRET**",
"SECRET//ORCON", portion marks only), so detection is exercised, not --marking. Paths: the
CLI's ask, chat, docs, docs remove, ask --doc, draft (--out), map (--objectives-from-corpus,
--out), eval --from-store (--report), export; the audit lines written for the profile; the
app's chat and documents pages through AppTest. Then non-interference: what a profile gets
(answer, citations, closest passages, their order, the standalone question) is the same as
from a store holding only what it may see.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from helpers import write

DOCS = {  # file: text (banners in the text; the order is the ingestion order)
    "open_plan.md": "UNCLASSIFIED\n\n# Testland Maritime Plan\n\n1. The Blue Strait radar case for Testland is "
                    "funded with $5 million of Foreign Military Financing in FY2026. OBH drills follow the "
                    "annual schedule.\n\n2. TCO 1: Improve Testland maritime domain awareness along the Blue "
                    "Strait.\n\n3. The Testland "
                    "navy operates four patrol boats on the Blue Strait.\n\nUNCLASSIFIED\n",
    "secret_plan.md": "SECRET\n\n# Harbor Contingency Annex\n\n1. Operation Blue Harbor (OBH) moves the Blue "
                      "Strait radar to Cape Vorn with $40 million in FY2027.\n\n2. TCO 7: Prepare Cape Vorn "
                      "basing access for allied maritime forces.\n\nSECRET\n",
    "nf_annex.md": "S//NF\n\n# Annex Nightjar\n\n1. Project NIGHTJAR installs Blue Strait sensors at Tolvik Point "
                   "for $13 million.\n\nS//NF\n",
    "bold_memo.md": "**SECRET**\n\n# Kestrel Memo\n\n1. Project KESTREL shares Blue Strait radar tracks with the "
                    "Royal Navy every six hours.\n\n**SECRET**\n",
    "orcon_brief.md": "SECRET//ORCON\n\n# Osprey Brief\n\n1. Project OSPREY pays the Testland coast guard "
                      "$27 million for night patrols on the Blue Strait.\n\nSECRET//ORCON\n",
    "portion_notes.md": "# Field Notes\n\n(U) The Testland navy trains weekly on the Blue Strait.\n\n(S) Project "
                        "MARLIN stores Blue Strait fuel at Quarry Bay worth $9 million.\n",
}
CANARIES = {  # what no one below the document's marking may see: title, facts, the acronym's expansion
    "secret_plan.md": ["Harbor Contingency", "Blue Harbor", "Cape Vorn", "$40 million", "TCO 7", "basing access"],
    "nf_annex.md": ["Annex Nightjar", "Tolvik", "$13 million"],
    "bold_memo.md": ["Kestrel Memo", "six hours", "Royal Navy every"],
    "orcon_brief.md": ["Osprey Brief", "$27 million", "night patrols"],
    "portion_notes.md": ["Field Notes", "Quarry Bay", "$9 million", "trains weekly"],
}
USERS = """users:
  reader: {role: reader, max_marking: UNCLASSIFIED}
  analyst: {role: curator, max_marking: SECRET, caveats: [NOFORN]}
  admin: {role: curator, max_marking: TOP SECRET, caveats: [NOFORN, ORCON]}
"""
VISIBLE = {"reader": {"open_plan.md"},
           "analyst": set(DOCS) - {"orcon_brief.md"},
           "admin": set(DOCS)}
QUESTIONS = ["What is OBH?", "How much funding does the Blue Strait radar get?",
             "What does Project KESTREL share with the Royal Navy?", "What is Project NIGHTJAR?",
             "What does Project OSPREY pay for?", "Where does Project MARLIN store fuel?", "What are the TCOs?",
             "Blue Strait radar"]
ACTIVITIES = ("id,title,type,partner,authority,fiscal_year,description\n"
              "A1,Blue Strait radar,FMS case,Testland,FMF,2026,Radar for the Blue Strait\n"
              "A2,Coast guard patrols,training,Testland,Title 10,2027,Night patrols on the Blue Strait\n")


def ingest_folder(folder: Path, names, store_dir: Path, embedder):
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    store = Store(store_dir, embedding_name=embedder.name)
    for name in names:  # one at a time, in DOCS order, so every store ingests in the same order
        report = ingest_paths([folder / name], store, embedder, IngestOptions(workers=1))
        assert not report.failed, report.summary()
    return store


@pytest.fixture(scope="module")
def world(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("leaks")
    for name, text in DOCS.items():
        write(root / "docs" / name, text)
    (root / "users.yaml").write_text(USERS)
    (root / "activities.csv").write_text(ACTIVITIES)
    (root / "suite.jsonl").write_text("".join(json.dumps(
        {"id": f"q{n}", "question": q, "answerable": True, "reference": "The radar gets $5 million.",
         "reference_facts": ["$5 million"], "reference_sources": [{"source": "open_plan.md", "section": "1"}], "tags": ["lookup"]}) + "\n"
        for n, q in enumerate(QUESTIONS)))
    store = ingest_folder(root / "docs", DOCS, root / "store", embedder)
    return root, store


def test_markings_are_detected_from_the_banners_and_portion_marks(world):
    _, store = world
    assert {d.source: d.marking for d in store.documents()} == {
        "open_plan.md": "UNCLASSIFIED", "secret_plan.md": "SECRET", "nf_annex.md": "SECRET // NOFORN",
        "bold_memo.md": "SECRET", "orcon_brief.md": "SECRET // ORCON", "portion_notes.md": "SECRET"}


def forbidden_for(user: str) -> list[str]:
    return [c for name, canaries in CANARIES.items() if name not in VISIBLE[user] for c in canaries]


def assert_clean(user: str, where: str, text: str) -> None:
    found = [c for c in forbidden_for(user) if c.lower() in text.lower()]
    assert not found, f"{user} / {where}: {found} leaked"


@pytest.fixture(scope="module")
def cli(world, embedder):
    """The real command in-process (one model load for the whole matrix)."""
    from click.testing import CliRunner

    import assistant.services
    from assistant.frontends.cli import cli as group

    root, store = world
    env = {"PLANASSIST_STORE": str(store.store_dir), "PLANASSIST_USER_FILE": str(root / "users.yaml")}
    patch = pytest.MonkeyPatch()
    patch.setattr(assistant.services, "make_embedder", lambda settings: embedder)

    def run(user: str, *args, input=None):
        result = CliRunner().invoke(group, ["--user", user, *args], env=env, input=input, catch_exceptions=True)
        return result.output + (str(result.exception) if result.exception else "")

    yield run
    patch.undo()


@pytest.mark.parametrize("user", list(VISIBLE))
def test_every_cli_output_path(world, cli, user, tmp_path):
    root, store = world
    outputs = {
        "ask": cli(user, "ask", "--json", *QUESTIONS),
        "chat": cli(user, "chat", input="\n".join(QUESTIONS[:3]) + "\n\n"),
        "docs": cli(user, "docs", "--json"),
        "draft": cli(user, "draft", "situation", "--partner", "Testland", "--json", "--out", str(tmp_path / "d.md")),
        "map": cli(user, "map", "--activities", str(root / "activities.csv"), "--objectives-from-corpus", "--json",
                   "--out", str(tmp_path / "m.csv")),
        "eval": cli(user, "eval", str(root / "suite.jsonl"), "--from-store", "--no-naive", "--report",
                    str(tmp_path / "report")),
        "export": cli(user, "export", str(tmp_path / "export.zip")),
    }
    for path in ("d.md", "m.csv", "export.zip"):  # every command ran and wrote its file
        assert (tmp_path / path).exists(), (path, outputs["map"], outputs["eval"][-1500:])
    assert "A1" in outputs["map"] and json.loads(outputs["ask"].splitlines()[0])["question"] == QUESTIONS[0]
    outputs["draft file"] = (tmp_path / "d.md").read_text()
    outputs["map file"] = (tmp_path / "m.csv").read_text()
    outputs["eval report"] = "".join(p.read_text() for p in (tmp_path / "report").rglob("*") if p.is_file())
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        outputs["export file"] = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                                         if not n.endswith(".npy"))
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["for_user"]["name"] == user
        assert {json.loads(l)["source"] for l in archive.read("documents.jsonl").decode().splitlines()} == VISIBLE[user]
    audit = [json.loads(l) for l in (store.store_dir / "audit.jsonl").read_text().splitlines()]
    outputs["audit"] = json.dumps([e for e in audit if e.get("user") == user])
    assert json.loads(outputs["docs"]) and {d["source"] for d in json.loads(outputs["docs"])} == VISIBLE[user]
    for where, text in outputs.items():
        assert_clean(user, where, text)
    if user == "admin":  # the matrix sees what it hides: every canary reaches the one who may read it
        everything = " ".join(outputs.values()).lower()
        assert "six hours" in everything and "$27 million" in everything and "quarry bay" in everything


@pytest.mark.parametrize("user", ["reader", "analyst"])
def test_a_hidden_document_gets_the_reply_of_a_missing_one(cli, user):
    hidden = "Osprey Brief"  # above both
    missing = "No Such Brief"
    assert cli(user, "ask", "--doc", hidden, "What is it?").replace(hidden, "X") == \
        cli(user, "ask", "--doc", missing, "What is it?").replace(missing, "X")
    assert cli(user, "docs", "remove", hidden).replace(hidden, "X") == \
        cli(user, "docs", "remove", missing).replace(missing, "X")
    assert "Osprey" in cli("admin", "docs", "--json")  # still there: nothing was removed


def test_readers_do_not_remove_documents(cli):
    out = cli("reader", "docs", "remove", "Testland Maritime Plan")
    assert "only curators" in out and "Testland Maritime Plan" in cli("reader", "docs", "--json")


# --- non-interference ---------------------------------------------------------------------
def outcome(assistant, question: str) -> dict:
    answer = assistant.ask(question).as_dict()
    answer.pop("timings_ms", None)
    return answer


@pytest.mark.parametrize("user", ["reader", "analyst"])
def test_non_interference(world, embedder, user, tmp_path):
    """What a profile gets is the same whether or not the documents above it are in the store."""
    from assistant.access.profiles import load_users
    from assistant.core.engine import Assistant
    from assistant.core.retrieval import HybridSearch
    from ingest.reader import StoreReader

    root, store = world
    profile = load_users(root / "users.yaml")[user]
    only_visible = ingest_folder(root / "docs", [n for n in DOCS if n in VISIBLE[user]], tmp_path / "s", embedder)
    mixed = Assistant(store, embedder).for_profile(profile)
    alone = Assistant(only_visible, embedder)
    mixed_search = HybridSearch(StoreReader(store).visible_to(profile), embedder)
    alone_search = HybridSearch(only_visible, embedder)
    for question in QUESTIONS:
        assert outcome(mixed, question) == outcome(alone, question), question
        ranked = [(p.chunk_id, round(p.score, 6)) for p in mixed_search.search(question, 20)]
        assert ranked == [(p.chunk_id, round(p.score, 6)) for p in alone_search.search(question, 20)], question


# --- the app's pages, through AppTest -------------------------------------------------------
@pytest.mark.parametrize("user", list(VISIBLE))
def test_every_app_page(world, user, monkeypatch, model_cache):
    import sys

    import streamlit as st

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))
    from app_helpers import app_test, no_exceptions

    from assistant.access.users_file import save_user
    from ingest.reader import StoreReader

    root, store = world
    users = tmp = root / f"app-users-{user}.yaml"
    tmp.unlink(missing_ok=True)
    fields = {"reader": ("reader", "UNCLASSIFIED", ()), "analyst": ("curator", "SECRET", ("NOFORN",)),
              "admin": ("curator", "TOP SECRET", ("NOFORN", "ORCON"))}[user]
    save_user(tmp, user, password="pass-" + user, role=fields[0], max_marking=fields[1], caveats=fields[2])
    monkeypatch.setenv("PLANASSIST_STORE", str(store.store_dir))
    monkeypatch.setenv("PLANASSIST_USER_FILE", str(users))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test()
    at.text_input(key="login_name").input(user)
    at.text_input(key="login_password").input("pass-" + user)
    at.button[0].click().run()
    no_exceptions(at)
    shown = []
    for question in QUESTIONS:
        at.chat_input[0].set_value(question).run()
        no_exceptions(at)
    shown += [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander]
    at.switch_page("assistant/frontends/ui/pages/documents.py").run()
    no_exceptions(at)
    listed = set(at.dataframe[0].value["file"]) if at.dataframe else set()
    assert listed == VISIBLE[user]
    shown += [m.value for m in at.markdown] + [str(d.value.to_dict()) for d in at.dataframe]
    shown += [str(s.options) for s in at.selectbox]
    at.switch_page("assistant/frontends/ui/pages/drafting.py").run()
    at.text_input[0].input("Testland")
    at.button[0].click().run()  # the form's "Generate draft"
    no_exceptions(at)
    assert "draft" in at.session_state
    shown += [m.value for m in at.markdown] + [t.value for t in at.text_area]
    at.switch_page("assistant/frontends/ui/pages/mapping.py").run()
    at.checkbox[0].check().run()  # objectives from the documents, scored against the bundled activities
    next(b for b in at.button if b.label == "Map activities").click().run()
    no_exceptions(at)
    assert "mapping" in at.session_state
    shown += [m.value for m in at.markdown] + [str(d.value.to_dict()) for d in at.dataframe]
    shown += [json.dumps(at.session_state["mapping"].as_dict())]
    for where, text in enumerate(shown):
        assert_clean(user, f"app element {where}", str(text))
    assert {d.doc_id for d in StoreReader(store).visible_to(None).documents()}  # the store is untouched
    st.cache_resource.clear()
    st.cache_data.clear()
