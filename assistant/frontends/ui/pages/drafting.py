"""Drafting page: pick a template and a partner, generate, edit, download; sources and gaps
beside the draft. The work is done by assistant.features.drafting."""

import io

import streamlit as st

from assistant.features.drafting.draft import draft_section
from assistant.features.drafting.export import source_line, to_docx, to_markdown
from assistant.features.drafting.templates import available_templates
from assistant.frontends.ui.resources import session_assistant, session_store

st.title("Drafting")
st.caption("Each template question is answered from the documents with citations; what they do not "
           "answer is left as a [GAP: ...] line for you to fill.")

if not session_store().documents():
    st.info("The store is empty: add documents with `planassist ingest PATH` (or on the Documents page) first.")
    st.stop()

templates = available_templates()
with st.form("draft_form"):
    name = st.selectbox("Section", list(templates), format_func=lambda n: templates[n].title)
    partner = st.text_input("Partner", placeholder="e.g. Marenta")
    topic = st.text_input("Extra topic (optional)")
    generate = st.form_submit_button("Generate draft", type="primary")

if generate:
    template = templates[name]
    if template.needs_partner and not partner.strip():
        st.error("This template asks about a partner: enter one.")
    else:
        with st.spinner(f"Answering {len(template.questions)} questions…"):
            draft = draft_section(session_assistant(), template, partner.strip() or None, topic.strip() or None)
        st.session_state["draft"] = draft
        st.session_state["draft_text"] = to_markdown(draft)

draft = st.session_state.get("draft")
if draft is not None:
    editor, preview, side = st.columns([3, 3, 2])
    with editor:
        text = st.text_area("Draft (editable Markdown)", key="draft_text", height=560)
        buffer = io.BytesIO()
        to_docx(draft, buffer, text=text)
        base = f"{draft.template}_{(draft.partner or 'draft').lower()}"
        col1, col2 = st.columns(2)
        col1.download_button("Download Markdown", text, file_name=f"{base}.md", mime="text/markdown")
        col2.download_button("Download DOCX", buffer.getvalue(), file_name=f"{base}.docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    with preview:
        st.caption("Preview")
        with st.container(height=600, border=True):
            st.markdown(text)  # the edited text as it will read: titles, lists, [n] markers
    with side:
        if draft.marking:
            st.markdown(f"**Marking:** {draft.marking}")
        st.subheader(f"Gaps ({len(draft.gaps)})")
        for question in draft.gaps:
            st.warning(question)
        if not draft.gaps:
            st.write("Every question is answered from the documents.")
        st.subheader(f"Sources ({len(draft.sources)})")
        for source in draft.sources:
            with st.expander(source_line(source)):
                st.write(f"“{source.quote}”")
        st.caption(f"{draft.mode}, {draft.seconds:.1f} s")
