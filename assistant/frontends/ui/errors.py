"""One clear message in the page for errors a user can cause (UserError: empty store,
unreachable LLM endpoint, bad upload), never a traceback. Anything else is logged with its
traceback on the server and shown as one line."""

from __future__ import annotations

import contextlib
import logging

import streamlit as st

from ingest.errors import UserError

log = logging.getLogger("planassist.app")


@contextlib.contextmanager
def shown_as_message(doing: str, stop: bool = True):
    try:
        yield
    except UserError as exc:
        st.error(f"{doing}: {exc}", icon=":material/error:")
        if stop:
            st.stop()
    except Exception as exc:  # noqa: BLE001 - the page must not show a traceback
        log.exception("%s failed", doing)
        st.error(f"{doing} failed ({type(exc).__name__}: {exc}). Details are in the server log.",
                 icon=":material/error:")
        if stop:
            st.stop()
