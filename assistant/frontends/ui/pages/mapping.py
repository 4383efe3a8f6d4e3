"""Mapping page: the bundled or uploaded lists, the gaps (with the document sentence that
explains each, where one does), the labelled activity x objective matrix with each cell's
evidence on click (assistant/frontends/ui/mapping_view.py), the links table, and downloads. The work is
done by assistant.features.mapping."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant.features.mapping import build_mapping
from assistant.features.mapping.export import link_rows, to_csv, to_markdown, to_xlsx
from assistant.features.mapping.inputs import read_activities, read_objectives
from assistant.features.mapping.documents import MappingDocuments
from assistant.core.retrieval import HybridSearch
from assistant.frontends.ui.mapping_view import matrix_chart, selected_cell, show_cell, show_gaps
from assistant.frontends.ui.resources import get_embedder, session_store
from ingest.errors import UserError

BUNDLED = Path(__file__).resolve().parents[4] / "corpus"

st.title("Activity-to-objective mapping")

source = st.radio("Lists", ["Bundled sample lists", "Upload my lists"], horizontal=True)
from_corpus = st.checkbox("Take the objectives from the documents (\"TCO 2: ...\", \"IMO 2.3: ...\")")
uploads = {}
if source == "Upload my lists":
    uploads["activities"] = st.file_uploader("Activities (CSV or XLSX)", type=["csv", "xlsx"])
    if not from_corpus:
        uploads["objectives"] = st.file_uploader("Objectives (CSV or XLSX)", type=["csv", "xlsx"])


def saved(upload, folder: str) -> Path:
    """An uploaded file on disk, so the readers report problems with its own name."""
    path = Path(folder) / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


if st.button("Map activities", type="primary"):
    try:
        store = session_store()  # objectives and evidence only from documents this user may see
        with tempfile.TemporaryDirectory(prefix="planassist-map-") as folder:
            if source == "Upload my lists":
                if not uploads.get("activities") or (not from_corpus and not uploads.get("objectives")):
                    raise UserError("upload the activities list" + ("" if from_corpus else " and the objectives list"))
                activities, problems = read_activities(saved(uploads["activities"], folder))
                objectives_file = None if from_corpus else saved(uploads["objectives"], folder)
            else:
                activities, problems = read_activities(BUNDLED / "activities.csv")
                objectives_file = None if from_corpus else BUNDLED / "objectives.csv"
            if objectives_file is None:
                objectives = MappingDocuments(HybridSearch(store, get_embedder())).objectives()
                if not objectives:
                    raise UserError("no objectives found in the documents")
            else:
                objectives, more = read_objectives(objectives_file)
                problems += more
        search = HybridSearch(store, get_embedder()) if store.documents() else None
        with st.spinner(f"Scoring {len(activities)} activities against {len(objectives)} objectives…"):
            st.session_state["mapping"] = build_mapping(activities, objectives, get_embedder(), search, problems)
        if search is None:
            st.info("The store is empty, so links come from the lists' wording only and all need review.")
    except UserError as exc:
        st.error(str(exc))

mapping = st.session_state.get("mapping")
if mapping is not None:
    for problem in mapping.problems:
        st.warning(f"Skipped: {problem}")
    show_gaps(mapping)
    st.subheader("Matrix")
    st.caption("Click a cell for its score and evidence. Red labels and shaded rows or columns are the gaps.")
    event = st.altair_chart(matrix_chart(mapping), on_select="rerun", key="mapping-matrix")
    cell = selected_cell(event)
    if cell:
        show_cell(mapping, *cell)

    st.subheader("Links")
    st.dataframe(pd.DataFrame(link_rows(mapping)), hide_index=True, width="stretch")

    with tempfile.TemporaryDirectory() as folder:
        xlsx = Path(folder) / "mapping.xlsx"
        to_xlsx(mapping, xlsx)
        xlsx_bytes = xlsx.read_bytes()
    col1, col2, col3 = st.columns(3)
    col1.download_button("Download CSV", to_csv(mapping), file_name="mapping.csv", mime="text/csv")
    col2.download_button("Download XLSX (coloured matrix)", xlsx_bytes, file_name="mapping.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    col3.download_button("Download Markdown", to_markdown(mapping), file_name="mapping.md", mime="text/markdown")
