"""How the chat page draws a conversation: each answer with its marking banner, linked [n]
markers, unsupported sentences marked, refusals shown as refusals and the backend that
answered; and beside it the sources of every answer (the selected answer's first), each with
its quote highlighted in its passage and the whole page's text on request, so that a [n] in
any answer, not only the selected one, opens that answer's source n."""

from __future__ import annotations

import html
import itertools

import streamlit as st

from assistant.core.answers import Citation
from assistant.frontends.ui.rendering import (Turn, answer_markdown, escape_markdown, highlighted_passage_html, page_text,
                                    source_anchor, where)

SELECTED_TURN = "selected_turn"
SELECTED_SOURCE = "selected_source"

STYLE = """<style>
.pa-marking {text-align:center; font-weight:700; letter-spacing:.08em; padding:.15rem .5rem;
  border-radius:.3rem; margin-bottom:.4rem; color:white; background:#2e7d32;}
.pa-marking.cui {background:#6a1b9a;} .pa-marking.confidential {background:#1565c0;}
.pa-marking.secret {background:#c62828;} .pa-marking.top-secret {background:#e65100;}
.pa-marking.unmarked {background:#616161;}
.pa-passage {font-size:.92rem; line-height:1.45; padding:.4rem .6rem; border-left:3px solid #bbb;}
.pa-passage mark {background:#fff176; padding:0 .1rem;}
</style>"""


def inject_style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


def marking_banner(marking: str | None) -> None:
    label = marking or "NO MARKING FOUND"
    lowered = (marking or "").lower()
    css = ("top-secret" if "top secret" in lowered else "secret" if "secret" in lowered
           else "confidential" if "confidential" in lowered else "cui" if "cui" in lowered
           else "unmarked" if not marking else "")
    st.markdown(f'<div class="pa-marking {css}">{html.escape(label)}</div>', unsafe_allow_html=True)


def select(turn: int, source: int | None = None) -> None:
    st.session_state[SELECTED_TURN] = turn
    st.session_state[SELECTED_SOURCE] = source


def _picked(turn: int) -> None:
    select(turn, st.session_state.get(f"pick-{turn}"))


def render_question(question: str) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))


def render_answer(turn: Turn, index: int) -> None:
    """The body of an assistant message (call inside st.chat_message)."""
    answer = turn.answer
    marking_banner(answer.marking)
    if answer.standalone_question:
        st.caption(f"Understood as: {escape_markdown(answer.standalone_question)}")
    if answer.refused:
        st.warning(escape_markdown(answer.answer), icon=":material/block:")
        if answer.closest:
            st.caption("The closest passages are shown beside the conversation; they do not answer the question.")
    else:
        st.markdown(answer_markdown(answer, index))
        if answer.unsupported:
            st.error(f"{len(answer.unsupported)} sentence(s) are not supported by the passages they cite "
                     "and are marked [unsupported].", icon=":material/warning:")
    sources = answer.citations or answer.closest
    if sources:
        numbers = [c.n for c in sources]
        st.pills("Sources" if answer.citations else "Closest passages", numbers, key=f"pick-{index}",
                 format_func=lambda n: f"[{n}]", on_change=_picked, args=(index,),
                 help="Show this source beside the conversation")
    timings = answer.timings_ms
    total = f" · {sum(timings.values()):.0f} ms" if timings else ""
    by = f" · answered by {escape_markdown(answer.backend)}" if answer.backend else ""
    st.caption(f"{answer.mode}{total}{by}")


def render_turn(turn: Turn, index: int) -> None:
    render_question(turn.question)
    with st.chat_message("assistant"):
        render_answer(turn, index)


@st.cache_data(max_entries=256, show_spinner=False)
def _page(_store, store_key: str, doc_id: str, page: int) -> str:
    # a doc_id is the hash of the document's content, so its pages never change
    return page_text(_store.document_chunks(doc_id), page)


def render_sources(turns: list[Turn], store) -> None:
    """Every answer's sources: the selected answer's (the latest by default) first, then the
    others newest first. Each card carries its anchor, so a marker of any answer scrolls to
    its own source."""
    if not turns:
        st.info("Ask a question: the sources of each answer appear here, with the quoted sentence "
                "highlighted in its passage.", icon=":material/menu_book:")
        return
    index = st.session_state.get(SELECTED_TURN)
    if index is None or not 0 <= index < len(turns):
        index = len(turns) - 1
    for position, i in enumerate([index] + [i for i in reversed(range(len(turns))) if i != index]):
        if position:
            st.divider()
        render_turn_sources(turns[i], i, store)


def render_turn_sources(turn: Turn, index: int, store) -> None:
    answer = turn.answer
    sources = answer.citations or answer.closest
    st.subheader("Sources" if answer.citations else "Closest passages")
    st.caption(f"For answer {index + 1}: {escape_markdown(turn.question)}")
    if not sources:
        st.info("No passage matched this question.")
        return
    chosen = st.session_state.get(SELECTED_SOURCE) if st.session_state.get(SELECTED_TURN) == index else None
    for citation in sources:
        render_source(citation, turn, index, store, chosen == citation.n)


def render_source(citation: Citation, turn: Turn, index: int, store, chosen: bool) -> None:
    with st.container(border=True):
        st.markdown(f'<span id="{source_anchor(index, citation.n)}"></span>', unsafe_allow_html=True)
        tag = " :orange-background[selected]" if chosen else ""
        st.markdown(f"**\\[{citation.n}\\] {escape_markdown(citation.title)}**{tag}")
        st.caption(" · ".join(escape_markdown(part) for part in (
            citation.doc_type or "document", citation.marking or "no marking", f"page {citation.page}",
            f"paragraph {citation.section}" if citation.section else "no paragraph id", citation.source,
            *(["OCR: text read from a scan"] if citation.ocr else []))))
        passage = turn.passages.get(citation.chunk_id, citation.quote)
        st.markdown(highlighted_passage_html(passage, citation.quote), unsafe_allow_html=True)
        with st.expander(f"Read the whole of page {citation.page}", expanded=False):
            try:
                text = _page(store, str(store.store_dir), citation.doc_id, citation.page)
            except Exception as exc:  # the document may have been removed since
                st.warning(f"The page text is not available: {exc}")
                return
            if text:
                st.markdown(highlighted_passage_html(text, citation.quote), unsafe_allow_html=True)
            else:
                st.caption("This document is no longer in the store.")


def answer_live(assistant, question: str, history: list[str], k: int, filters):
    """Ask, showing the text as the answerer writes it (a model piece by piece, the extractive
    answerer all at once) under a spinner until the first piece; returns the checked Answer.
    UserError (unreachable endpoint, bad question) propagates."""
    from assistant.core.answers import Answer

    final: list[Answer] = []

    def text_pieces():
        for item in assistant.stream(question, history=history, k=k, filters=filters):
            if isinstance(item, Answer):
                final.append(item)
            else:
                yield item

    pieces = text_pieces()
    with st.spinner("Searching the documents…"):
        first = next(pieces, None)
    if first is not None:
        slot = st.empty()
        with slot.container():
            st.write_stream(itertools.chain([first], pieces))
        slot.empty()  # replaced by the checked answer, with its flags and links
    return final[-1] if final else None
