"""Documents: upload and ingest files, list what the store holds, change a document's type
and marking, remove a document. Everyone sees the list of the documents their access allows;
only curators (and the single-user default) get the controls, and assistant/frontends/ui/curation.py
checks the role again for every change."""

import streamlit as st

from assistant.frontends.ingest_progress import done_fraction
from assistant.frontends.ui import curation
from assistant.frontends.ui.document_table import document_table
from assistant.frontends.ui.ingest_uploads import progress_text
from assistant.frontends.ui.errors import shown_as_message
from assistant.frontends.ui.login import current_profile
from assistant.frontends.ui.rendering import escape_markdown
from assistant.frontends.ui.resources import get_embedder, get_store, session_store
from ingest.sniff import SUPPORTED
from ingest.metadata import DOC_TYPES

st.title("Documents")
profile = current_profile()
curator = curation.may_curate(profile)
with shown_as_message("Opening the document store"):
    store = get_store()  # changes go to the shared store, through curation's checks
    visible = session_store()  # what this user may see

# --- upload ------------------------------------------------------------------------------
if not curator:
    st.caption(f"You are a {profile.role}: you see the documents your access allows; curators add, "
               "change and remove them.")
else:
    st.subheader("Add documents")
    generation = st.session_state.setdefault("uploader_generation", 0)
    files = st.file_uploader("PDF, Word, Markdown, text or HTML files (a `<file>.meta.yaml` sidecar may come along)",
                             type=[*(e.lstrip(".") for e in SUPPORTED), "yaml"], accept_multiple_files=True,
                             key=f"uploader-{generation}")
    detect = "detect from the document"
    cols = st.columns(2)
    set_type = cols[0].selectbox("Type for these files", [detect, *DOC_TYPES], key="upload_type")
    set_marking = cols[1].text_input("Marking for these files", placeholder="detect (e.g. UNCLASSIFIED, CUI)",
                                     key="upload_marking")
    if st.button(f"Ingest {len(files or [])} file(s)", type="primary", disabled=not files, key="ingest"):
        bar = st.progress(0.0, text="Reading the files…")

        interrupted = []

        def progress(event) -> None:  # per file and per page, while parsing and embedding
            if interrupted:
                return
            try:
                bar.progress(done_fraction(event), text=escape_markdown(progress_text(event)))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001
                # Streamlit stops or reruns a script by raising from its next element call when
                # the user clicks elsewhere; the batch is finished first, then the page reruns.
                interrupted.append(exc)

        with shown_as_message("Ingesting", stop=False):
            with st.spinner("Loading the embedding model…"):
                embedder = get_embedder()
            results = curation.add_documents(profile, [(f.name, f.getvalue()) for f in files], store, embedder,
                                             doc_type=None if set_type == detect else set_type,
                                             marking=set_marking.strip() or None, progress=progress)
            st.session_state["ingest_results"] = [r.__dict__ for r in results]
            st.session_state["uploader_generation"] = generation + 1  # an empty uploader for the next batch
            if interrupted:
                raise interrupted[0]  # the rerun (or stop) the user asked for during the batch
            st.rerun()
for result in st.session_state.pop("ingest_results", []):
    if result["ok"]:
        st.success(escape_markdown(f"{result['name']}: {result['message']}"), icon=":material/check:")
    else:
        st.error(escape_markdown(f"{result['name']}: {result['message']}"), icon=":material/error:")

# --- the store ---------------------------------------------------------------------------
documents = visible.documents()
st.subheader(f"In the store ({len(documents)})")
if not documents:
    st.info("The store is empty: add documents above, or run `planassist ingest PATH`." if curator
            else "There are no documents your access allows.")
    st.stop()
shown = document_table(documents)

if not curator:
    st.stop()
st.subheader("Change or remove a document")
if "notice" in st.session_state:
    st.success(st.session_state.pop("notice"), icon=":material/check:")
if not shown:
    st.stop()
by_id = {d.doc_id: d for d in shown}  # the documents the search and filters above leave
doc_id = st.selectbox("Document", list(by_id), format_func=lambda i: f"{by_id[i].title} ({by_id[i].source})",
                      key="edit_doc", help="The documents that the search and filters above leave; type to find one.")
document = by_id[doc_id]
cols = st.columns(2)
new_type = cols[0].selectbox("Type", DOC_TYPES, index=DOC_TYPES.index(document.doc_type)
                             if document.doc_type in DOC_TYPES else DOC_TYPES.index("other"), key=f"type-{doc_id}")
new_marking = cols[1].text_input("Marking", value=document.marking or "", key=f"marking-{doc_id}")
if st.button("Save type and marking", key="save_fields"):
    with shown_as_message("Saving", stop=False):
        marking = curation.set_fields(profile, store, doc_id, new_type, new_marking)
        st.session_state["notice"] = escape_markdown(f"{document.title}: type {new_type}, marking {marking or 'none'}")
        st.rerun()
confirm = st.checkbox(f"Yes, remove “{document.title}” from the store", key=f"confirm-{doc_id}")
if st.button("Remove document", disabled=not confirm, key="remove"):
    with shown_as_message("Removing", stop=False):
        curation.remove_document(profile, store, doc_id)
        st.session_state["notice"] = escape_markdown(f"removed {document.title} ({document.chunks} chunks)")
        st.rerun()
