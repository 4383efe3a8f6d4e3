"""A section draft: each template question answered by Assistant.ask, its [n] markers
renumbered across the draft, and a numbered source list. What the documents do not answer
becomes a visible [GAP: question] line; a sentence the claim check does not support is
dropped, never kept as invented text."""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field

from assistant.core.claims import FLAG, MARKER
from assistant.core.composition import cover_section, usable
from assistant.core.question_analysis import mentions
from ingest.metadata import highest_marking
from ingest.sentences import split_sentences

MIN_WORDS = 5  # shorter cited "sentences" are headings the answerer picked up, not prose
# a run-in heading the sentence splitter kept at the start: "Definition. A significant ..."
RUN_IN_HEADING = re.compile(r"^[A-Z][a-z]{4,}(?: [a-z]+){0,2}\.\s+(?=[A-Z])")


@dataclass
class Source:
    n: int
    title: str
    source: str
    page: int
    section: str
    marking: str | None
    doc_id: str
    quote: str
    chunk_ids: list[str] = field(default_factory=list)  # the stored passages cited under this number


@dataclass
class Paragraph:
    question: str
    text: str  # with draft-wide [n] markers; empty for a gap
    gap: bool = False
    sources: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # sentences the claim check did not support
    title: str = ""  # a short heading for the question (title_of)


@dataclass
class Draft:
    template: str
    title: str
    partner: str | None
    topic: str | None
    mode: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    marking: str | None = None
    seconds: float = 0.0

    @property
    def gaps(self) -> list[str]:
        return [p.question for p in self.paragraphs if p.gap]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["gaps"] = self.gaps
        return data


class SourceList:
    """Citations from many answers numbered once: the same paragraph of the same page of the
    same document is one source."""

    def __init__(self):
        self.sources: list[Source] = []
        self._index: dict[tuple, int] = {}

    def number(self, citation) -> int:
        key = (citation.doc_id, citation.page, citation.section)
        if key not in self._index:
            self.sources.append(Source(len(self.sources) + 1, citation.title, citation.source, citation.page,
                                       citation.section, citation.marking, citation.doc_id, citation.quote))
            self._index[key] = len(self.sources)
        source = self.sources[self._index[key] - 1]
        if citation.chunk_id not in source.chunk_ids:
            source.chunk_ids.append(citation.chunk_id)
        return self._index[key]


def renumber(sentence: str, mapping: dict[int, int]) -> str:
    def replace(match: re.Match) -> str:
        numbers = list(dict.fromkeys(mapping[int(n)] for n in match.group(1).split(",") if int(n) in mapping))
        return f" [{', '.join(map(str, numbers))}]" if numbers else ""

    return MARKER.sub(replace, sentence)


def title_of(question: str, partner: str | None = None) -> str:
    """A short heading for a template question: "What security threats does Marenta face?" ->
    "Security threats"; "Who is the U.S. Ambassador to Marenta?" -> "U.S. Ambassador to Marenta"."""
    text = question.strip().rstrip("?")
    text = re.sub(r"^what happens\s+", "", text, flags=re.I)  # "What happens if X?" -> "If X"
    text = re.sub(r"^how (?:much|many)\s+", "What ", text, flags=re.I)
    asked = re.match(r"^(?:what|which|who|how)\s+(?:is|are|was|were\s+)?(?P<thing>.+?)(?:\s+(?:does|do|did|is|are|has|have|"
                     r"goes|go|will|would|should|must|can)\b.*)?$", text, re.I)
    thing = asked["thing"] if asked else text
    thing = re.sub(r"^(?:is|are|the)\s+", "", thing.strip(), flags=re.I)
    thing = re.split(r",\s*and\s+|\s+and\s+(?:who|what|why|how|when|where)\b", thing)[0]
    if len(thing.split()) > 10 or len(thing.split()) < 1:
        thing = text
    return thing[:1].upper() + thing[1:]


def _about_partner(line: str, citations: dict, local: dict, partner: str) -> bool:
    """A line a partner's draft keeps: it names the partner, or a document it cites does."""
    if mentions(partner, line):
        return True
    return any(mentions(partner, citations[n].title) for n in local_markers(line) if n in citations)


def local_markers(line: str) -> list[int]:
    return [int(n) for group in MARKER.findall(line) for n in group.split(",")]


def paragraph_from_answer(question: str, answer, sources: SourceList, said: set[str] | None = None,
                          partner: str | None = None) -> Paragraph:
    """The answer, composed as the chat shows it (assistant/core/composition.py), as a titled
    paragraph or list. said: the lines earlier paragraphs already hold (without markers), not
    repeated. With a partner the question names, a line about other partners is left out."""
    said = set() if said is None else said
    title = title_of(question, partner)
    if answer.refused or not answer.citations:
        return Paragraph(question, "", gap=True, title=title)
    by_n = {c.n: c for c in answer.citations}
    local = {c.n: sources.number(c) for c in answer.citations}
    focus = partner if partner and mentions(partner, question) else None
    kept, dropped = [], []
    for line in answer.answer.split("\n"):
        bullet = line.startswith("- ")
        body = line[2:] if bullet else line
        pieces = [body] if bullet else split_sentences(body)
        out = []
        for sentence in pieces:
            if FLAG.strip() in sentence or not MARKER.search(sentence):
                dropped.append(sentence.replace(FLAG, "").strip())
                continue
            bare = MARKER.sub("", sentence).strip()
            numbers = [n for n in local_markers(sentence) if n in by_n]
            if (bare in said or (not bullet and len(bare.split()) < MIN_WORDS) or not usable(bare, 1 if bullet else 4)
                    or any(cover_section(by_n[n].section) for n in numbers)
                    or (focus and not bullet and not _about_partner(sentence, by_n, local, focus))):
                continue  # repeats, bare headings, cover-block text, other partners
            said.add(bare)
            out.append(renumber(RUN_IN_HEADING.sub("", sentence), local))
        if out:
            kept.append(("- " if bullet else "") + " ".join(out))
    # a list's lead without its items, or items without their lead, still reads; a lead that
    # ends in ":" with nothing after it does not
    while kept and kept[-1].rstrip().endswith(":"):
        kept.pop()
    if not kept:
        return Paragraph(question, "", gap=True, dropped=dropped, title=title)
    text = _join(kept)
    used = sorted({int(n) for group in MARKER.findall(text) for n in group.split(",")})
    return Paragraph(question, text, sources=used, dropped=dropped, title=title)


def _join(lines: list[str]) -> str:
    out, previous = "", ""
    for line in lines:
        if out and previous.startswith("- ") and not line.startswith("- "):
            out += "\n\n" + line  # prose after a list is a paragraph of its own (Markdown)
        elif out and (line.startswith("- ") or previous.rstrip().endswith(":")):
            out += "\n" + line
        elif out:
            out += " " + line
        else:
            out = line
        previous = line
    return out


def draft_section(assistant, template, partner: str | None = None, topic: str | None = None,
                  progress=None) -> Draft:
    started = time.perf_counter()
    questions = template.filled(partner, topic)
    sources = SourceList()
    draft = Draft(template=template.name, title=template.title, partner=partner, topic=topic, mode=assistant.mode)
    said: set[str] = set()
    for i, question in enumerate(questions):
        answer = assistant.ask(question)
        draft.paragraphs.append(paragraph_from_answer(question, answer, sources, said, partner))
        if progress:
            progress(question, i + 1, len(questions))
    # sources no kept sentence cites are left out, and the rest renumbered in order of use
    used = sorted({n for p in draft.paragraphs for n in p.sources})
    final = {old: new for new, old in enumerate(used, start=1)}
    for p in draft.paragraphs:
        if p.text:
            p.text = renumber(p.text, final)
            p.sources = sorted({final[n] for n in p.sources})
    draft.sources = [Source(**{**asdict(sources.sources[old - 1]), "n": new}) for old, new in final.items()]
    draft.marking = highest_marking(s.marking for s in draft.sources)
    draft.seconds = time.perf_counter() - started
    return draft
