"""Turning an Answer into what the chat page shows and what the user downloads: the answer
text with its [n] markers linked to their sources and unsupported sentences marked, a quote
highlighted inside its passage, a page's whole text, and the conversation as Markdown.

Pure functions (no Streamlit), so they are tested directly. Document text is untrusted: it
is HTML-escaped before it is put into markup, and Markdown's special characters (a `$` would
start a formula) are escaped before it is put into Markdown."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assistant.core.answers import Answer, Citation
from assistant.core.claims import FLAG

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+!|~$^=:-])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def source_anchor(turn: int, n: int) -> str:
    return f"source-{turn}-{n}"


def _linked(text: str, turn: int) -> str:
    """Escape a stretch of answer text and turn its [n] markers into links to the sources."""
    out, position = [], 0
    for match in MARKER.finditer(text):
        out.append(escape_markdown(text[position:match.start()]))
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        links = ", ".join(f"[{n}](#{source_anchor(turn, n)})" for n in numbers)
        out.append(f"\\[{links}\\]")
        position = match.end()
    out.append(escape_markdown(text[position:]))
    return "".join(out)


def answer_markdown(answer: Answer, turn: int) -> str:
    """The answer as Markdown: markers link to their source cards, each unsupported sentence
    on a red background followed by a visible 'unsupported' tag."""
    text = answer.answer
    spans = []
    for sentence in dict.fromkeys(answer.unsupported):  # every occurrence: a model may repeat itself
        start = text.find(sentence + FLAG)
        while start >= 0:
            spans.append((start, start + len(sentence), start + len(sentence) + len(FLAG)))
            start = text.find(sentence + FLAG, start + 1)
    notes = conflict_spans(answer)
    out, position = [], 0
    for start, end, flag_end in sorted(spans + notes):
        if start < position:
            continue
        out.append(_linked(text[position:start], turn))
        if flag_end is None:  # the sentence saying that sources disagree: a visible note
            out.append(f":orange-background[⚠️ {_linked(text[start:end], turn)}]")
            position = end
            continue
        out.append(f":red-background[{_linked(text[start:end], turn)}] :red[**\\[unsupported\\]**]")
        position = flag_end
    out.append(_linked(text[position:], turn))
    # a listed answer's bullets stay a Markdown list (escaping turned "- " into "\- ")
    lines = re.sub(r"(^|\n)\\- ", r"\1- ", "".join(out).strip()).split("\n")
    # prose after a list is a paragraph of its own, not the last item's continuation
    return "\n".join(("\n" + line) if i and lines[i - 1].startswith("- ") and not line.startswith("- ") else line
                     for i, line in enumerate(lines))


def conflict_spans(answer: Answer) -> list[tuple[int, int, None]]:
    """Where the answer text says that its sources disagree (one sentence per conflict)."""
    found = []
    for conflict in getattr(answer, "conflicts", None) or []:
        start = answer.answer.find(f"The sources disagree on {conflict.get('about', '')}")
        if start < 0:
            continue
        end = answer.answer.find(".", start + len("The sources disagree on "))
        while 0 <= end < len(answer.answer) - 1 and not answer.answer[end + 1].isspace():
            end = answer.answer.find(".", end + 1)  # "$0.35 million", "U.S.C." are not its end
        found.append((start, len(answer.answer) if end < 0 else end + 1, None))
    return found


def _find_quote(passage: str, quote: str) -> tuple[int, int] | None:
    quote = quote.strip()
    if not quote:
        return None
    start = passage.find(quote)
    if start >= 0:
        return start, start + len(quote)
    # the same words with other spacing (line breaks inside the passage)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, passage)
    return (match.start(), match.end()) if match else None


def highlighted_passage_html(passage: str, quote: str) -> str:
    """The passage, escaped, with the quoted sentence inside <mark>."""
    span = _find_quote(passage, quote)
    if span is None:
        body = html.escape(passage)
        if quote:
            body = f"<mark>{html.escape(quote)}</mark><br><br>" + body
    else:
        start, end = span
        body = (html.escape(passage[:start]) + "<mark>" + html.escape(passage[start:end]) + "</mark>"
                + html.escape(passage[end:]))
    # '$' would start a formula in Streamlit's Markdown, even inside HTML
    body = body.replace("$", "&#36;").replace("\n", "<br>")
    return f'<div class="pa-passage">{body}</div>'


def _page_segments(text: str, metadata: dict) -> list[tuple[int, int, int]]:
    """(start, end, page) stretches of a chunk's text, from its page offsets."""
    marks = [(0, int(metadata.get("page_start", 1)))]
    for item in str(metadata.get("page_offsets", "")).split(";"):
        if item:
            start, number = item.split(":")
            marks.append((int(start), int(number)))
    marks.sort()
    return [(start, marks[i + 1][0] if i + 1 < len(marks) else len(text), page)
            for i, (start, page) in enumerate(marks)]


def page_text(chunks: list[tuple[str, str, dict]], page: int) -> str:
    """The whole text of one page of a document, from its chunks (Store.document_chunks),
    in reading order."""
    parts = []
    for _, text, metadata in chunks:
        if not (int(metadata.get("page_start", 0)) <= page <= int(metadata.get("page_end", metadata.get("page_start", 0)))):
            continue
        piece = "".join(text[s:e] for s, e, p in _page_segments(text, metadata) if p == page).strip()
        if piece:
            parts.append(piece)
    return "\n\n".join(parts)


def where(citation: Citation) -> str:
    return f"page {citation.page}" + (f", paragraph {citation.section}" if citation.section else "")


@dataclass
class Turn:
    """One question and its answer in a session's conversation."""
    question: str
    answer: Answer
    passages: dict  # chunk_id -> passage text, for the highlighted quotes


def conversation_markdown(turns: list[Turn]) -> str:
    """The conversation as a Markdown file with every answer's sources."""
    lines = ["# Planning Assistant conversation", ""]
    for i, turn in enumerate(turns, start=1):
        answer = turn.answer
        lines += [f"## {i}. {turn.question}", ""]
        if answer.marking:
            lines += [f"**{answer.marking}**", ""]
        if answer.standalone_question:
            lines += [f"_Understood as: {answer.standalone_question}_", ""]
        lines += [answer.answer, ""]
        if answer.backend:
            lines += [f"_Answered by {answer.backend}_", ""]
        sources = answer.citations or answer.closest
        if sources:
            lines += ["Sources:" if answer.citations else "Closest passages:", ""]
            for c in sources:
                marking = f" [{c.marking}]" if c.marking else ""
                lines.append(f"- [{c.n}] {c.title} ({c.source}, {c.doc_type or 'document'}), {where(c)}{marking}")
                lines.append(f"  > {c.quote}")
            lines.append("")
        if answer.unsupported:
            lines += ["Not supported by the cited passages:", ""]
            lines += [f"- {s}" for s in answer.unsupported]
            lines.append("")
    return "\n".join(lines)
