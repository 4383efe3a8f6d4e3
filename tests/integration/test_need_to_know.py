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
    from assistant.access.profiles import load_users

    return load_users(marked_store.store_dir.parent / "users.yaml")


def doc_ids_allowed(store, profile):
    return {d.doc_id for d in store.documents() if profile.allowed(d.marking)}


@pytest.mark.parametrize("name, visible", [("reader", {"open_plan.md"}),
                                           ("cui", {"open_plan.md", "cui_notes.md"}),
                                           ("briton", {"open_plan.md", "cui_notes.md", "rel_gbr.md"}),
                                           ("admin", set(DOCS))])
def test_search_never_returns_a_passage_above_access(marked_store, embedder, users, name, visible):
    from assistant.core.retrieval import HybridSearch
    from ingest.reader import StoreReader

    search = HybridSearch(StoreReader(marked_store).visible_to(users[name]), embedder)
    seen = set()
    for question in QUESTIONS:
        seen |= {p.source for p in search.search(question, 20)}
    assert seen == visible  # everything allowed is reachable, nothing else is


def test_ask_answer_citations_closest_and_audit_respect_the_user(marked_store, embedder, users):
    from assistant.core.engine import Assistant

    assistant = Assistant(marked_store, embedder)
    secret_ids = {d.doc_id for d in marked_store.documents() if d.marking.startswith("SECRET")}
    secret_titles = [d.title for d in marked_store.documents() if d.marking.startswith("SECRET")]
    full = assistant.for_profile(users["admin"]).ask("What is Project NIGHTJAR?")
    assert not full.refused and "$40 million" in full.answer
    assert {c.doc_id for c in full.citations} & secret_ids and full.marking == "SECRET // NOFORN"
    reader = assistant.for_profile(users["reader"])
    for question in QUESTIONS:
        answer = reader.ask(question)
        shown = answer.citations + answer.closest
        assert all(c.marking == "UNCLASSIFIED" for c in shown), question
        assert not {c.doc_id for c in shown} & secret_ids
        for forbidden in ("$40 million", "Cape Vorn", "six hours", "$2 million", *secret_titles):
            assert forbidden not in answer.answer, (question, answer.answer)
        assert answer.marking in (None, "UNCLASSIFIED")
        entry = reader.audit.entries()[-1]
        assert entry["user"] == "reader" and entry["question"] == question
        audited = {r["doc_id"] for r in entry["retrieved"]} | {c["doc_id"] for c in entry["cited"]}
        assert audited <= doc_ids_allowed(marked_store, users["reader"])
    refused = reader.ask("What is Project NIGHTJAR?")
    assert refused.refused and all(c.source == "open_plan.md" for c in refused.closest)


def test_streaming_and_the_assistants_own_profile(marked_store, embedder, users):
    from assistant.core.engine import Assistant

    assistant = Assistant(marked_store, embedder, user=users["cui"])  # e.g. from PLANASSIST_MAX_MARKING
    answer = [piece for piece in assistant.stream("What is the Testland coast guard training budget?")][-1]
    assert not answer.refused and "$2 million" in answer.answer and answer.marking == "CUI"
    kestrel = [piece for piece in assistant.stream("What does Project KESTREL share with the Royal Navy?",
                                                   user="someone")][-1]
    assert "six hours" not in kestrel.answer and assistant.audit.entries()[-1]["user"] == "someone"
    # the profile is the assistant's, set once: a call cannot widen it
    with pytest.raises(ValueError, match="for_profile"):
        list(assistant.stream("What does Project KESTREL share with the Royal Navy?", user=users["briton"]))
    # for_profile narrows, never widens: the cui assistant cannot become the briton one
    assert "six hours" not in assistant.for_profile(users["briton"]).ask(
        "What does Project KESTREL share with the Royal Navy?").answer
    briton = [piece for piece in Assistant(marked_store, embedder).for_profile(users["briton"]).stream(
        "What does Project KESTREL share with the Royal Navy?")][-1]
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


def test_cli_docs_lists_only_what_the_user_may_see(marked_store):
    env = {**os.environ, "PLANASSIST_STORE": str(marked_store.store_dir),
           "PLANASSIST_USER_FILE": str(marked_store.store_dir.parent / "users.yaml")}
    listed = lambda user: {d["source"] for d in json.loads(planassist("docs", "--json", "--user", user, env=env).stdout)}  # noqa: E731
    assert listed("reader") == {"open_plan.md"}
    assert listed("briton") == {"open_plan.md", "cui_notes.md", "rel_gbr.md"}
    assert listed("admin") == set(DOCS)


def test_a_marking_lower_than_the_banner_is_refused_unless_forced(tmp_path, embedder):
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    store = Store(tmp_path / "store", embedding_name=embedder.name)
    path = write(tmp_path / "docs" / "annex.md", "SECRET//NOFORN\n\n# Annex\n\n1. The fact.\n\nSECRET//NOFORN\n")
    report = ingest_paths([path], store, embedder, IngestOptions(marking="UNCLASSIFIED"))
    assert report.failed and "lower than the document's own banners (SECRET // NOFORN)" in report.summary()
    assert store.documents() == []
    write(tmp_path / "docs" / "annex.md.meta.yaml", "marking: SECRET\n")  # a sidecar dropping NOFORN
    assert ingest_paths([path], store, embedder).failed
    report = ingest_paths([path], store, embedder, IngestOptions(marking="FOO"))
    assert report.failed and "unknown marking 'FOO'" in report.summary()
    report = ingest_paths([path], store, embedder, IngestOptions(marking="UNCLASSIFIED", force_marking=True))
    assert not report.failed and store.documents()[0].marking == "UNCLASSIFIED"
    entry = json.loads((store.store_dir / "audit.jsonl").read_text().splitlines()[-1])
    assert entry["event"] == "marking_forced" and entry["detected"] == "SECRET // NOFORN"
    # higher than the banner is fine
    assert not ingest_paths([path], store, embedder, IngestOptions(marking="TOP SECRET // NOFORN")).failed


def test_ingest_does_not_follow_a_symlink_out_of_the_folder(tmp_path, embedder):
    from ingest.pipeline import ingest_paths
    from ingest.store import Store

    outside = write(tmp_path / "outside" / "secret.txt", "The vault code is 4711.")
    folder = tmp_path / "docs"
    write(folder / "plan.md", "# Plan\n\n1. The plan text.\n")
    (folder / "linked.txt").symlink_to(outside)
    store = Store(tmp_path / "store", embedding_name=embedder.name)
    report = ingest_paths([folder], store, embedder)
    assert "symbolic link to a file outside the folder" in report.summary()
    assert {d.source for d in store.documents()} == {"plan.md"}


def test_uploads_never_touch_a_document_the_uploader_may_not_see(tmp_path, embedder):
    from assistant.access.profiles import UserProfile
    from assistant.frontends.ui.curation import add_documents
    from ingest.reader import StoreReader
    from ingest.store import Store

    store = Store(tmp_path / "store", embedding_name=embedder.name)
    high = UserProfile("hana", role="curator", max_marking="SECRET")
    low = UserProfile("lou", role="curator", max_marking="UNCLASSIFIED")
    assert all(r.ok for r in add_documents(high, [("plan.md", b"SECRET\n\n# Hidden Plan\n\n1. Fact.\n\nSECRET\n")],
                                           store, embedder))
    # the same name from a lower curator: their own document, the hidden one untouched
    results = add_documents(low, [("plan.md", b"# Open Plan\n\n1. Other.\n"),
                                  ("other.md.meta.yaml", b"marking: UNCLASSIFIED\n")], store, embedder)
    by_name = {r.name: r for r in results}
    assert by_name["plan.md"].ok and not by_name["other.md.meta.yaml"].ok
    assert "only to a document uploaded with it" in by_name["other.md.meta.yaml"].message
    titles = {d.title: d.marking for d in store.documents()}
    assert titles == {"Hidden Plan": "SECRET", "Open Plan": None}
    assert [d.title for d in StoreReader(store).visible_to(low).documents()] == ["Open Plan"]
    # a sidecar cannot re-mark another user's document: it lands in the uploader's own folder
    results = add_documents(low, [("plan.md", b"# Open Plan\n\n1. Other.\n"),
                                  ("plan.md.meta.yaml", b"marking: UNCLASSIFIED\n")], store, embedder)
    assert all(r.ok for r in results)
    assert {d.title: d.marking for d in store.documents()}["Hidden Plan"] == "SECRET"


def test_the_langchain_retriever_for_a_profile_inside_an_lcel_chain(marked_store, embedder, users):
    """The README's way to use the store from one's own LangChain code."""
    from langchain_core.runnables import RunnableLambda, RunnablePassthrough

    from assistant.core.retrieval import HybridRetriever

    def chain_for(profile):
        retriever = HybridRetriever.for_profile(marked_store, embedder, profile, k=10)
        return {"context": retriever | RunnableLambda(lambda docs: "\n".join(d.page_content for d in docs)),
                "sources": retriever | RunnableLambda(lambda docs: {d.metadata["source"] for d in docs}),
                "question": RunnablePassthrough()} | RunnableLambda(lambda x: x)

    question = "What does Project KESTREL share with the Royal Navy?"
    reader = chain_for(users["reader"]).invoke(question)
    assert reader["sources"] == {"open_plan.md"} and "six hours" not in reader["context"]
    briton = chain_for(users["briton"]).invoke(question)
    assert "rel_gbr.md" in briton["sources"] and "six hours" in briton["context"]
