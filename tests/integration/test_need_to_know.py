"""Need-to-know by marking: a passage above a user's access never reaches the answer, its
citations, the closest passages of a refusal, the audit line, or any caller of the search
(drafting and mapping use the same HybridSearch)."""

import json
import os

import pytest

from helpers import planassist, write

DOCS = {  # file: (marking, text)
    "open_plan.md": ("UNCLASSIFIED", "# Testland Plan\n\n1. The Blue Strait radar case for Testland is funded "
                                     "with $5 million of Foreign Military Financing in FY2026.\n\n2. The Testland "
                                     "navy operates four patrol boats on the Blue Strait.\n"),
    "cui_notes.md": ("CUI", "# Testland Program Notes\n\n1. The Testland coast guard training budget is "
                            "$2 million in FY2026, managed by the Office of Defense Cooperation.\n"),
    "noforn_annex.md": ("SECRET // NOFORN", "# Annex NIGHTJAR\n\n1. Project NIGHTJAR installs the Blue Strait "
                                            "radar at Cape Vorn with $40 million of additional funding in FY2027.\n"),
    "rel_gbr.md": ("SECRET // REL TO USA, GBR", "# KESTREL Sharing Arrangement\n\n1. Project KESTREL shares "
                                                "Blue Strait radar tracks with the Royal Navy every six hours.\n"),
}
USERS = """users:
  reader: {role: reader, max_marking: UNCLASSIFIED}
  cui: {role: reader, max_marking: CUI}
  briton: {role: reader, max_marking: SECRET, caveats: [GBR]}
  admin: {role: curator, max_marking: TOP SECRET, caveats: [NOFORN, GBR]}
"""
QUESTIONS = [
    "What is Project NIGHTJAR?",
    "How much funding does the Blue Strait radar get in FY2027?",
    "What does Project KESTREL share with the Royal Navy?",
    "What is the Testland coast guard training budget?",
    "Where is the Blue Strait radar installed?",
    "Blue Strait radar",
]


@pytest.fixture(scope="module")
def marked_store(tmp_path_factory, embedder):
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    folder = tmp_path_factory.mktemp("marked")
    store = Store(folder / "store", embedding_name=embedder.name)
    for name, (marking, text) in DOCS.items():
        path = write(folder / "docs" / name, text)
        assert not ingest_paths([path], store, embedder, IngestOptions(marking=marking)).failed
    (folder / "users.yaml").write_text(USERS)
    return store


@pytest.fixture(scope="module")
def users(marked_store):
    from assistant.access import load_users

    return load_users(marked_store.store_dir.parent / "users.yaml")


def doc_ids_allowed(store, profile):
    return {d.doc_id for d in store.documents() if profile.allowed(d.marking)}


@pytest.mark.parametrize("name, visible", [("reader", {"open_plan.md"}),
                                           ("cui", {"open_plan.md", "cui_notes.md"}),
                                           ("briton", {"open_plan.md", "cui_notes.md", "rel_gbr.md"}),
                                           ("admin", set(DOCS))])
def test_search_never_returns_a_passage_above_access(marked_store, embedder, users, name, visible):
    from assistant.passages import Filters
    from assistant.retrieval import HybridSearch

    search = HybridSearch(marked_store, embedder)
    seen = set()
    for question in QUESTIONS:
        seen |= {p.source for p in search.search(question, 20, Filters(access=users[name]))}
    assert seen == visible  # everything allowed is reachable, nothing else is


def test_ask_answer_citations_closest_and_audit_respect_the_user(marked_store, embedder, users):
    from assistant.engine import Assistant

    assistant = Assistant(marked_store, embedder)
    secret_ids = {d.doc_id for d in marked_store.documents() if d.marking.startswith("SECRET")}
    secret_titles = [d.title for d in marked_store.documents() if d.marking.startswith("SECRET")]
    full = assistant.ask("What is Project NIGHTJAR?", user=users["admin"])
    assert not full.refused and "$40 million" in full.answer
    assert {c.doc_id for c in full.citations} & secret_ids and full.marking == "SECRET // NOFORN"
    for question in QUESTIONS:
        answer = assistant.ask(question, user=users["reader"])
        shown = answer.citations + answer.closest
        assert all(c.marking == "UNCLASSIFIED" for c in shown), question
        assert not {c.doc_id for c in shown} & secret_ids
        for forbidden in ("$40 million", "Cape Vorn", "six hours", "$2 million", *secret_titles):
            assert forbidden not in answer.answer, (question, answer.answer)
        assert answer.marking in (None, "UNCLASSIFIED")
        entry = assistant.audit.entries()[-1]
        assert entry["user"] == "reader" and entry["question"] == question
        audited = {r["doc_id"] for r in entry["retrieved"]} | {c["doc_id"] for c in entry["cited"]}
        assert audited <= doc_ids_allowed(marked_store, users["reader"])
    refused = assistant.ask("What is Project NIGHTJAR?", user=users["reader"])
    assert refused.refused and all(c.source == "open_plan.md" for c in refused.closest)


def test_streaming_and_the_assistants_own_profile(marked_store, embedder, users):
    from assistant.engine import Assistant

    assistant = Assistant(marked_store, embedder, user=users["cui"])  # e.g. from PLANASSIST_MAX_MARKING
    answer = [piece for piece in assistant.stream("What is the Testland coast guard training budget?")][-1]
    assert not answer.refused and "$2 million" in answer.answer and answer.marking == "CUI"
    kestrel = [piece for piece in assistant.stream("What does Project KESTREL share with the Royal Navy?",
                                                   user="someone")][-1]
    assert "six hours" not in kestrel.answer and assistant.audit.entries()[-1]["user"] == "someone"
    # a profile passed to the call wins over the assistant's own
    briton = [piece for piece in assistant.stream("What does Project KESTREL share with the Royal Navy?",
                                                  user=users["briton"])][-1]
    assert "six hours" in briton.answer


def test_cli_ask_with_user(marked_store):
    env = {**os.environ, "PLANASSIST_STORE": str(marked_store.store_dir),
           "PLANASSIST_USER_FILE": str(marked_store.store_dir.parent / "users.yaml")}
    question = "What does Project KESTREL share with the Royal Navy?"
    result = planassist("ask", "--json", "--user", "reader", question, env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["refused"] and "six hours" not in result.stdout and "KESTREL Sharing" not in result.stdout
    result = planassist("ask", "--json", "--user", "briton", question, env=env)
    assert "six hours" in json.loads(result.stdout)["answer"]
    result = planassist("ask", question, env=env)  # users configured: a user must be named
    assert result.returncode == 1 and "name one with --user or PLANASSIST_USER" in result.stderr
    env = {**os.environ, "PLANASSIST_STORE": str(marked_store.store_dir), "PLANASSIST_MAX_MARKING": "CUI"}
    result = planassist("ask", "--json", question, env=env)
    assert json.loads(result.stdout)["refused"] and "six hours" not in result.stdout
