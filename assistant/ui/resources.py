"""Objects built once per process and shared by every session (st.cache_resource): the
embedding model, the store and the assistant. Sessions keep their own chats in
st.session_state; nothing here holds per-user state."""

from __future__ import annotations

import streamlit as st

from assistant.config import Settings
from assistant.services import make_assistant, make_embedder, make_store


@st.cache_resource(show_spinner="Loading the embedding model…")
def get_embedder():
    return make_embedder(Settings.from_env()).warm_up()


@st.cache_resource(show_spinner="Opening the document store…")
def get_store():
    return make_store(Settings.from_env(), get_embedder())


@st.cache_resource(show_spinner="Preparing the assistant…")
def get_assistant(backend: str = "extractive"):
    return make_assistant(Settings.from_env(), get_embedder(), get_store(), backend=backend)
