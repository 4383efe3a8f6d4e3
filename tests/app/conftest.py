"""Fixtures for the app tests: the bundled corpus ingested once per session (by the real
command, in a subprocess) and copied into each test's own store, and Streamlit's
process-wide caches cleared between tests."""

from __future__ import annotations

import os
import shutil

import pytest

from app_helpers import CORPUS
from helpers import planassist


@pytest.fixture(scope="session")
def corpus_store_template(tmp_path_factory, model_cache):
    store = tmp_path_factory.mktemp("corpus-template") / "store"
    env = {**os.environ, "PLANASSIST_STORE": str(store), "PLANASSIST_CACHE": str(model_cache)}
    result = planassist("ingest", str(CORPUS), env=env)
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture
def corpus_store(corpus_store_template, tmp_path):
    """This test's own store (PLANASSIST_STORE), holding the bundled corpus."""
    target = tmp_path / "store"
    shutil.copytree(corpus_store_template, target)
    return target


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
