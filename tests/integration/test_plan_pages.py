"""The Drafting and Mapping pages, run headless with Streamlit's AppTest over the bundled
corpus in a real store."""

import pytest

from helpers import ROOT

PAGES = ROOT / "assistant" / "frontends" / "ui" / "pages"
TIMEOUT = 240  # first run loads the embedding model; AppTest's default is 3 s


@pytest.fixture
def app_env(bundled_store, monkeypatch):
    import streamlit as st

    store = bundled_store
    monkeypatch.setenv("PLANASSIST_STORE", str(store.store_dir))
    st.cache_resource.clear()  # resources are global to the process
    yield store
    st.cache_resource.clear()


def test_drafting_page_generates_an_editable_cited_draft(app_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGES / "drafting.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    at.selectbox[0].select("situation")
    at.text_input[0].input("Marenta")
    at.button[0].click().run()
    assert not at.exception, at.exception
    text = at.text_area[0].value
    assert text.startswith("**UNCLASSIFIED**") and "# Situation and strategic context: Marenta" in text
    assert "[GAP: Who is the U.S. Ambassador to Marenta?]" in text and "## Sources" in text
    assert [w.value for w in at.warning] == ["Who is the U.S. Ambassador to Marenta?"]
    assert len(at.get("download_button")) == 2
    # the planner's edit survives a rerun and is what gets downloaded
    at.text_area[0].input(text.replace("## Sources", "Edited by the planner.\n\n## Sources")).run()
    assert "Edited by the planner." in at.text_area[0].value
    assert not at.exception


def test_mapping_page_maps_the_bundled_lists(app_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGES / "mapping.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    at.button[0].click().run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Activities supporting no objective" in shown
    # each gap listed with its title, and the document sentence that explains it where one does
    for orphan in ("A24", "A25", "A26"):
        assert f"**{orphan}**" in shown, shown
    assert "**IMO 3.3** Zarvia reforms its military justice system" in shown
    captions = " ".join(c.value for c in at.caption)
    assert "J5" in captions or "returned" in captions, captions
    table = at.dataframe[0].value
    assert {"activity_id", "objective_id", "rationale", "evidence"} <= set(table.columns)
    assert (table[table.activity_id == "A02"].objective_id == "IMO 1.1").any()
    assert len(at.get("vega_lite_chart")) == 1  # the Altair heatmap
    assert len(at.get("download_button")) == 3
