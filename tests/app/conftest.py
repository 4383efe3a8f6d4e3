"""Fixtures for the app tests: Streamlit's process-wide caches cleared between tests (the
ingested corpus, `corpus_store`, comes from tests/conftest.py)."""

from __future__ import annotations

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


@pytest.fixture
def running_app(corpus_store, tmp_path, model_cache):
    """`streamlit run app.py` on 127.0.0.1 over this test's copy of the corpus; its URL."""
    import os
    import sys

    from app_helpers import ROOT
    from helpers import free_port, serve, url_answers

    port = free_port()
    env = {**os.environ, "PLANASSIST_STORE": str(corpus_store), "PLANASSIST_CACHE": str(model_cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
               "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with serve(command, lambda: url_answers(f"{url}/_stcore/health"), tmp_path / "streamlit.log", "streamlit",
               timeout=60, cwd=ROOT, env=env):
        yield url
