"""Fixtures for the app tests: Streamlit's process-wide caches cleared between tests (the
ingested corpus, `corpus_store`, comes from tests/conftest.py)."""

from __future__ import annotations

import contextlib

import pytest


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium():
    """Debian's Chromium driven by playwright (which cannot download its own browsers here);
    scripts/setup.sh --test installs it when missing."""
    import os

    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `bash scripts/setup.sh --test` installs it (needs root or sudo)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def served_app(store, log_dir, model_cache):
    """`streamlit run app.py` on 127.0.0.1 over `store`; yields its URL."""
    import os
    import sys

    from app_helpers import ROOT
    from helpers import free_port, serve, url_answers

    port = free_port()
    env = {**os.environ, "PLANASSIST_STORE": str(store), "PLANASSIST_CACHE": str(model_cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
               "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with serve(command, lambda: url_answers(f"{url}/_stcore/health"), log_dir / "streamlit.log", "streamlit",
               timeout=60, cwd=ROOT, env=env):
        yield url


@pytest.fixture
def running_app(corpus_store, tmp_path, model_cache):
    """`streamlit run app.py` on 127.0.0.1 over this test's copy of the corpus; its URL."""
    with served_app(corpus_store, tmp_path, model_cache) as url:
        yield url


# --- a library of hundreds of documents -----------------------------------------------------
@pytest.fixture(scope="session")
def library_template(tmp_path_factory, embedder):
    """321 small Markdown documents (320 memos and one law) ingested by the product, once a session."""
    from app_helpers import LIBRARY_MEMOS, LIBRARY_TOPICS, PILOT_TITLE, library_memo
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    folder = tmp_path_factory.mktemp("library-files")
    for i in range(LIBRARY_MEMOS):
        title, doc_type, marking, pages = library_memo(i)
        topic = LIBRARY_TOPICS[i % len(LIBRARY_TOPICS)]
        front = f"---\ntitle: {title}\ndoc_type: {doc_type}\n" + (f"marking: {marking}\n" if marking else "") + "---\n"
        body = "\f".join(f"{p + 1}. Paragraph {p + 1} of memo {i} covers {topic} for the office, item {i * 10 + p}."
                         for p in range(pages))
        (folder / f"memo_{i:03d}.md").write_text(front + body)
    (folder / "harbor.md").write_text(f"---\ntitle: {PILOT_TITLE}\ndoc_type: law\n---\n1. Pilots hold a licence.\n")
    store_dir = tmp_path_factory.mktemp("library-store") / "store"
    report = ingest_paths([folder], Store(store_dir, embedding_name=embedder.name), embedder, IngestOptions())
    assert report.counts()["added"] == LIBRARY_MEMOS + 1, report.summary()
    return store_dir


@pytest.fixture
def library_store(library_template, tmp_path):
    """This test's own copy of the library, at PLANASSIST_STORE (tests/conftest.py)."""
    import shutil

    target = tmp_path / "store"
    shutil.copytree(library_template, target)
    return target


@pytest.fixture
def running_library_app(library_store, tmp_path, model_cache):
    with served_app(library_store, tmp_path, model_cache) as url:
        yield url
