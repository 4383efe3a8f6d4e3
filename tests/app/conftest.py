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
