"""Chat: the conversation on the left, the sources of the selected answer on the right."""

import datetime as dt

import streamlit as st

from assistant.frontends.ui import chat_view
from assistant.frontends.ui.errors import shown_as_message
from assistant.frontends.ui.rendering import Turn, conversation_markdown
from assistant.frontends.ui.resources import session_assistant, session_store
from assistant.frontends.ui.sidebar import chat_settings
from ingest.errors import UserError

chat_view.inject_style()
with shown_as_message("Opening the document store"):
    store = session_store()  # only the documents this user may see
choice = chat_settings(store)
turns: list[Turn] = st.session_state.setdefault("turns", [])  # per session: sessions never share chats

head, tools = st.columns([3, 2], vertical_alignment="bottom")
head.title("Chat")
question = st.chat_input("Ask a question about your documents")
left, right = st.columns([3, 2], gap="large")
PANE_HEIGHT = 640  # both panes scroll on their own, so an answer and its sources stay side by side

with left.container(height=PANE_HEIGHT, border=False):
    if not turns and not question:
        count = len(store.documents())
        if count:
            st.caption(f"{count} documents in the store. Answers cite the document, page and paragraph "
                       "behind every sentence.")
        else:
            st.info("The store is empty: add documents on the Documents page first.", icon=":material/info:")
    for index, turn in enumerate(turns):
        chat_view.render_turn(turn, index)
    if question:
        chat_view.render_question(question)
        with st.chat_message("assistant"), shown_as_message("Answering", stop=False):
            if not store.documents():
                raise UserError("the store is empty: add documents on the Documents page first")
            with st.spinner("Loading the answering backend…"):
                assistant = session_assistant(choice.backend)
            history = [t.answer.standalone_question or t.question for t in turns]
            answer = chat_view.answer_live(assistant, question, history, choice.k, choice.filters)
            if answer is not None:
                chunk_ids = sorted({c.chunk_id for c in answer.citations + answer.closest})
                passages = {cid: text for cid, (text, _) in store.chunks(chunk_ids).items()}
                turns.append(Turn(question, answer, passages))
                chat_view.select(len(turns) - 1)
                chat_view.render_answer(turns[-1], len(turns) - 1)

with right.container(height=PANE_HEIGHT, border=False):
    chat_view.render_sources(turns, store)

if turns:  # drawn last, so that the download holds the answer given in this run too
    with tools:
        download, clear = st.columns(2)
        download.download_button("Download (Markdown)", conversation_markdown(turns), icon=":material/download:",
                                 file_name=f"planassist-conversation-{dt.datetime.now():%Y%m%d-%H%M}.md",
                                 mime="text/markdown")
        if clear.button("New conversation", icon=":material/restart_alt:"):
            turns.clear()
            chat_view.select(None)
            st.rerun()
