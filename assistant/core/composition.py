"""Composing the extractive answer from the sentences the answerer chose (issue 13).

The answerer ranks and picks sentences; this module decides what a planner reads:
- the sentence that answers comes first; another is added only when it answers a part of the
  question the first does not, or supplies a question word it leaves out, and nearly as well;
- a list the documents announce ("six capability gaps", "the following assumptions") comes
  whole, as bullets, each item cited to its own paragraph;
- no paragraph numbers, enumerators, run-in headings, page breaks, table rows or cover-block
  fields; a sentence that leans on the one before it ("This includes ...", "Third, ...")
  brings that sentence or is left out;
- sources that disagree on the figure asked for are said to disagree (conflicts.py).
The citation card still quotes the document exactly: only the answer text is cleaned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.conflicts import Conflict, find_conflicts
from assistant.core.passages import Passage
from assistant.core.question_analysis import asking_text, question_parts
from assistant.core.terms import content_terms, query_terms
from ingest import chunking
from ingest.sentences import split_sentences, split_spans

MAX_SENTENCES = 5  # sentences of prose besides list items (the extractive answerer's own cap)
ADD_RATIO = 0.0  # a supporting sentence is kept when it scores at least this share of the lead
ADD_NEEDS_NEW_WORD = False  # True: only a sentence adding a question word (run 1: -0.1 fact recall)
ADD_MIN_SHARED = 0  # question words a supporting sentence must share
ANSWER_BUDGET = 10_000  # characters of text beyond which a supporting sentence is not added
FALLBACK_LOOK, FALLBACK_RATIO = 8, 0.8  # where a clean sentence is looked for when the chosen are debris
MAX_ITEMS = 12  # items of one announced list
ITEM_LABEL_WORDS = 12  # "Gap 1, sensor coverage of the eastern approaches: <detail>" keeps the label

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12}
_COUNT = "|".join(NUMBER_WORDS) + r"|\d{1,2}"
# "identified six capability gaps", "has four enduring interests", "Six shortfalls limited"
ANNOUNCES = re.compile(rf"\b(?P<count>{_COUNT})\s+(?:[\w'-]+\s+){{0,3}}?(?P<noun>[a-z][a-z-]*s)\b",
                       re.I)
ANNOUNCES_OPEN = re.compile(r"\b(?:the following|as follows)\b|:\s*$", re.I)
# an item names its place in the list: "First, ...", "Gap 1, ...", "Phase II, ...", "Risk 2:"
ORDINAL_OPENING = re.compile(r"^(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                             r"finally|last|other)\b(?:\s+(?:is|was|one)\b)?[,:]?\s*", re.I)
LABELLED_ITEM = re.compile(r"^(?:[A-Z][\w-]*\s+){0,2}(?:\d{1,2}|[IVX]{1,4})\b[,:.]")

# Text that is never part of an answer sentence.
ENUMERATOR = re.compile(r"^(?:\(?[a-z]\)|\(\d{1,2}\)|\(?[ivx]{1,4}\)|[a-z]\.|\d{1,2}\))\s+")
# (an item may open with a quote: 'the following conditions: a. "Special" NC charges ...')
INNER_ENUMERATOR = re.compile(r"(?<=[.:;)\]])\s+(?:\(?[a-z]\)|\(\d{1,2}\s?\)|[a-z]\.|[ivx]{1,4}\.)\s+(?=[\"'“‘]?[A-Z\[(])"
                              r"|(?<=[:;,])\s+(?:\(?\d{1,2}\)|\([a-z]\)|[a-z]\))\s+")
RUN_IN_HEADING = re.compile(r"^(?:[A-Z][a-z]{3,}(?: [a-z]+){0,3}|[A-Z0-9][A-Z0-9-]+(?: [A-Z0-9.-]+){0,2})\.\s+(?=[A-Z])")
COVER_FIELD = re.compile(r"\b(?:Prepared by|Approved by|Reviewed by|MEMORANDUM FOR|SUBJECT|REFERENCES|FROM|"
                         r"Classified by|Distribution|Point of contact|POC)\s*:", re.I)
MARKUP = re.compile(r"\\newpage|\\[a-z]+\{|^#{1,6}\s|\|[^|]*\|")
# a sentence whose subject is in the sentence before it
LEANS_BACK = re.compile(r"^(?:this|these|that|those|it|its|they|their|such|both|the latter|the former|"
                        r"the same|he|she|his|her|also|however|in addition|additionally|moreover|"
                        r"(?:the )?(?:first|second|third|fourth|fifth|sixth|other)|finally)\b"
                        r"|^(?:\S+\s+){1,5}(?:both|these|them|this one|the two)\b", re.I)


@dataclass
class Piece:
    """One sentence of the answer: where it stands in its passage, and the text shown."""
    passage: Passage
    start: int
    end: int
    text: str
    score: float = 0.0
    also: list = field(default_factory=list)  # corroborating (passage, start, end, score)
    whole: bool = False  # an item shown whole, not cut to its label (items run together in one sentence)


@dataclass
class Composed:
    text: str
    citations: list
    conflicts: list[dict] = field(default_factory=list)


def display_text(sentence: str) -> str:
    """A document sentence as the answer shows it: no paragraph number, enumerator or run-in
    heading in front, no bracketed numbers that would pass for citation markers."""
    text = re.sub(r"\s*\[\d+(?:\s*,\s*\d+)*\]", "", sentence)
    text = re.sub(r"\\newpage", " ", text)
    text = re.sub(r"^(?:C\d+(?:\.\d+)*\.|\d{1,2}(?:\.(?:\d{1,3}|[a-z]))*\.?(?:\(\w{1,3}\))*)\s+", "", text.strip())
    text = ENUMERATOR.sub("", text)
    # an enumerator the splitter left inside ("... Reference (a)). d. The period ...") or at the end
    text = INNER_ENUMERATOR.sub(" ", text)
    text = re.sub(r"\b(and|or)\s+(?:\(?\d{1,2}\)|\([a-z]\))\s+", r"\1 ", text)  # "... and 2) an FMSO II case"
    text = re.sub(r"\s+(?:\(?[a-z]\)|\(\d{1,2}\s?\)|[a-hj-z]\.)\s*$", "", text)
    text = re.sub(r"([:;,])\s+[.:;,](?=\s|$)", r"\1", text)  # "must be met: . a. The costs": an emptied line's period
    text = re.sub(r":\s*\(?(?:1|a)[.)]\s*$", ":", text)  # "three public laws: 1.": the first item's number
    heading = RUN_IN_HEADING.match(text)
    if heading and len(text[heading.end():].split()) >= 5:
        text = text[heading.end():]
    if COVER_FIELD.search(text):  # a memo's header block run into its first sentence
        text = _without_cover(text)
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] if text else text


def _without_cover(sentence: str) -> str:
    """The longest stretch of a sentence between cover-block fields (the last resort)."""
    pieces = [p.strip(" ,;") for p in COVER_FIELD.split(sentence)]
    return max(pieces, key=lambda p: len(p.split())) or sentence


def cover_section(section: str) -> bool:
    """A passage labelled with a title in capitals ("COUNTRY SECURITY COOPERATION PLAN: REPUBLIC
    OF", "MARENTA PARTNER CAPABILITY ASSESSMENT 2026") is a cover block or page header, not a
    paragraph of the document. Drafts leave such passages out; answers do not, because in real
    memos without numbered paragraphs (dsca-ci) the body carries such labels too (leaving them
    out cost dsca-ci fact recall 0.62 -> 0.50)."""
    letters = re.sub(r"[^A-Za-z]", "", section)
    return bool(letters) and letters.isupper() and len(section.split()) >= 3


def usable(sentence: str, min_words: int = 4) -> bool:
    """Whether a sentence can stand in an answer at all: not a table row, markup or cover-block
    field, and long enough to say something."""
    return not (COVER_FIELD.search(sentence) or MARKUP.search(sentence)) and len(sentence.split()) >= min_words


def with_marker(sentence: str, numbers: list[int], end: str = ".") -> str:
    """'The case costs $36 million.' -> 'The case costs $36 million [1].' A piece the splitter
    kept whole can read as several sentences once its enumerators are gone ("... must be met:
    a. The costs must exceed $50,000,000. b. The items must be MDE."): each gets the marker,
    as the claim check reads every sentence for one."""
    mark = f" [{', '.join(map(str, numbers))}]" if numbers else ""
    parts = split_sentences(sentence) if mark else []
    if len(parts) > 1:
        return " ".join(with_marker(part, numbers) for part in parts[:-1]) + " " + with_marker(parts[-1], numbers, end)
    body = sentence.rstrip().rstrip(".:;!?").rstrip()
    return f"{body}{mark}{end}"


def asks_several(question: str) -> bool:
    """A question with parts, or one that compares: two figures in its answer are expected."""
    asking = asking_text(question)
    return len(question_parts(asking)) >= 2 or bool(COMPARES.search(asking))


COMPARES = re.compile(r"\b(?:compare|comparison|both|between|versus|vs\.?|each|respectively|change|differ\w*)\b", re.I)


# --- which sentences ------------------------------------------------------------------------
def _piece(candidate, passages: list[Passage]) -> Piece:
    also = [(passages[o.passage_index], o.start, o.end, o.score) for o in candidate.also]
    return Piece(passages[candidate.passage_index], candidate.start, candidate.end, candidate.text, candidate.score,
                 also)


def _opens_paragraph(piece: Piece) -> bool:
    """"This plan ...", "This memorandum ..." at the head of a paragraph is about the document."""
    return not [s for s in split_spans(piece.passage.text) if s[1] <= piece.start]


def _anchor(piece: Piece, steps: int = 4) -> Piece | None:
    """The sentence that gives a leaning sentence its subject: the nearest one before it in its
    paragraph that does not lean back itself; None when there is none."""
    spans = [s for s in split_spans(piece.passage.text) if s[1] <= piece.start][-steps:]
    for start, end in reversed(spans):
        text = piece.passage.text[start:end].strip()
        if not LEANS_BACK.match(display_text(text)):
            return Piece(piece.passage, start, end, text, piece.score) if usable(display_text(text)) else None
    return None


def choose(question: str, extract) -> list:
    """The candidates the answer states, lead first: the lead, the best sentence of each other
    part asked, then a sentence that supplies a question word the others leave out and scores
    nearly as well as the lead."""
    lead = extract.lead or extract.sentences[0]
    chosen = [lead] + [c for c in extract.parts if c is not lead]
    wanted = set(query_terms(asking_text(question)))
    covered = set().union(*(c.terms for c in chosen)) & wanted
    rest = sorted((c for c in extract.sentences if c not in chosen), key=lambda c: -c.score)
    for c in rest:
        if len(chosen) >= MAX_SENTENCES:
            break
        new = (c.terms & wanted) - covered
        shares = len(c.terms & wanted) >= ADD_MIN_SHARED
        if (new or not ADD_NEEDS_NEW_WORD) and shares and c.score >= ADD_RATIO * lead.score:
            chosen.append(c)
            covered |= new
    return chosen


# --- announced lists --------------------------------------------------------------------------
def announced_count(sentence: str) -> int | None | bool:
    """How many items a sentence announces: a number, None for an open list ("the following"),
    False when it announces none."""
    match = ANNOUNCES.search(sentence)
    if match and len(sentence.split()) <= 30:
        word = match["count"].lower()
        return NUMBER_WORDS.get(word) or int(word)
    if ANNOUNCES_OPEN.search(sentence):
        return None
    return False


def inline_items(sentence: str, count: int | None) -> bool:
    """The items are in the sentence itself ("six steps: receive guidance, frame ..., and ...")."""
    match = ANNOUNCES.search(sentence) or ANNOUNCES_OPEN.search(sentence)
    after = sentence[match.end():] if match else sentence
    listed = after.partition(":")[2]
    return bool(listed) and listed.count(",") + listed.count(";") >= max(1, (count or 3) - 2)


def list_items(piece: Piece, count: int | None, reader) -> list[Piece]:
    """The items a sentence announces: the sentences after it in its paragraph when they are
    marked as items ("First, ...", "Gap 1, ..."), or numbered in the running text, else the
    first sentence of each of its paragraph's subparagraphs, read from the store, else the
    opening of the next chunk when the sentence ends its chunk."""
    wanted = count or MAX_ITEMS
    following = [(s, e) for s, e in split_spans(piece.passage.text) if s >= piece.end]
    numbered = _numbered_items(piece, following, wanted)
    if numbered:
        return numbered
    items = []
    for start, end in following:
        text = piece.passage.text[start:end].strip()
        if not (ORDINAL_OPENING.match(text) or LABELLED_ITEM.match(display_text(text))):
            break
        items.append(Piece(piece.passage, start, end, text, piece.score))
    if count and len(items) >= count:
        return items[:count]
    children = _subparagraphs(piece.passage, reader)
    if count and len(children) >= count or (count is None and children):
        return children[:wanted]
    if not following and not items and piece.text.rstrip().endswith(":"):
        return _continued(piece, reader)  # not "... due within 15 days.", which ends a chunk too
    return items if count is None else []


# a list numbered in running text, its line breaks lost in extraction: the splitter ends each
# sentence at the next item's number ("... under three public laws: 1." "The Foreign
# Assistance Act (FAA) of 1961, as amended 2." "The Arms Export Control Act ... 3." ...)
TRAILING_ORDINAL = re.compile(r"\s+\(?(\d{1,2}|[a-z])[.)]\s*$")
FIRST_ORDINALS = ("1", "a")


def _numbered_items(piece: Piece, following: list[tuple[int, int]], wanted: int) -> list[Piece]:
    """The items of a list numbered in the running text, each without the next one's number;
    the item without a trailing number is the last."""
    opening = TRAILING_ORDINAL.search(piece.text)
    if not opening or opening.group(1) not in FIRST_ORDINALS or ":" not in piece.text[-12:]:
        return []
    text, expected, items = piece.passage.text, opening.group(1), []
    for start, end in following[:wanted]:
        sentence = text[start:end].rstrip()
        ordinal = TRAILING_ORDINAL.search(sentence)
        if ordinal and ordinal.group(1) == _next_ordinal(expected):
            expected = ordinal.group(1)
            items.append(Piece(piece.passage, start, start + ordinal.start(), sentence[:ordinal.start()], piece.score))
            continue
        items.append(Piece(piece.passage, start, end, sentence, piece.score))
        break
    return items if len(items) >= 2 else []


def _next_ordinal(ordinal: str) -> str:
    return str(int(ordinal) + 1) if ordinal.isdigit() else chr(ord(ordinal) + 1)


def _continued(piece: Piece, reader) -> list[Piece]:
    """A list announced by the last sentence of a chunk, ending in a colon, continues in the
    next chunk (a memo without numbered paragraphs, cut right after "... is required:"): the next
    chunk's first sentence is taken as the list, the items often run together in it."""
    ordinal = piece.passage.chunk_id.rsplit("-", 1)[-1]
    if reader is None or not ordinal.isdigit():
        return []
    following = chunking.chunk_id(chunking.doc_id_of(piece.passage.chunk_id), int(ordinal) + 1)
    stored = reader.chunks([following])
    if following not in stored:
        return []
    text, meta = stored[following][0] or "", stored[following][1] or {}
    spans = split_spans(text)
    if not spans:
        return []
    start, end = spans[0]
    return [Piece(Passage(following, text, dict(meta)), start, end, text[start:end].strip(), piece.score, whole=True)]


def _subparagraphs(passage: Passage, reader) -> list[Piece]:
    section = passage.section
    if reader is None or not section:
        return []
    depth = _depth(section) + 1
    # the document's outline comes from the keyword index: reading all its chunks from Chroma
    # (text and metadata, sentence vectors included) took most of a list answer's time
    # (0.9 of 1.2 s for three SAMM list questions); only the children found are read
    children, seen = [], set()
    for chunk_id, child in reader.document_sections(passage.doc_id):
        child = child or ""
        if not child.startswith(section + ".") and not child.startswith(section + "("):
            continue
        if child in seen or _depth(child) != depth:
            continue
        seen.add(child)
        children.append(chunk_id)
    stored = reader.chunks(children)
    out = []
    for chunk_id in children:
        if chunk_id not in stored:
            continue
        text, meta = stored[chunk_id][0] or "", stored[chunk_id][1] or {}
        spans = split_spans(text)
        if not spans:
            continue
        start, end = spans[0]
        out.append(Piece(Passage(chunk_id, text, dict(meta)), start, end, text[start:end].strip(), passage.score))
        if len(out) >= MAX_ITEMS:
            break
    return out


def _depth(section: str) -> int:
    """3.b.(2) -> 3: how many numbers deep a paragraph is."""
    return len(re.findall(r"\(\w+\)|[^.()\s]+", section))


def item_text(sentence: str) -> str:
    """An item as a bullet: without its ordinal, and cut to its label when a long detail follows
    ("Gap 1, sensor coverage of the eastern approaches: no working radar ...")."""
    text = display_text(ORDINAL_OPENING.sub("", display_text(sentence)))
    label, colon, detail = text.partition(": ")
    bare_label = re.fullmatch(r"[A-Z][\w-]*\s+(?:\d{1,2}|[IVX]{1,4})", label)  # "Assumption 1" says nothing alone
    if colon and not bare_label and len(label.split()) <= ITEM_LABEL_WORDS and len(detail.split()) > 6:
        text = label
    return text[:1].upper() + text[1:]


# --- the answer ---------------------------------------------------------------------------------
class _Citations:
    def __init__(self, cite):
        self.cite, self.items, self._index = cite, [], {}

    def number(self, passage: Passage, start: int, end: int, score: float) -> int:
        key = (passage.chunk_id, start, end)
        if key not in self._index:
            self.items.append(self.cite(len(self.items) + 1, passage, start, end, score))
            self._index[key] = len(self.items)
        return self._index[key]

    def of(self, piece: Piece) -> list[int]:
        return [self.number(piece.passage, piece.start, piece.end, piece.score)] + [
            self.number(p, s, e, sc) for p, s, e, sc in piece.also]


def compose(question: str, extract, passages: list[Passage], cite, reader=None, glossary=None) -> Composed:
    """The answer text, its citations (cite(n, passage, start, end, score) -> Citation) and the
    disagreements found, from an extract that was not refused."""
    citations = _Citations(cite)
    lines: list[str] = []
    used: set[tuple[str, int]] = set()

    def state(piece: Piece, end: str = ".") -> bool:
        key = (piece.passage.chunk_id, piece.start)
        text = display_text(piece.text)
        if key in used or not usable(text):
            return False
        used.add(key)
        lines.append(with_marker(text, citations.of(piece), end))
        return True

    conflicts: list[Conflict] = [] if asks_several(question) else find_conflicts(
        question, extract, passages, reader, glossary)
    if conflicts:
        # the question asks one figure and the sources disagree on it: the note that gives each
        # value with its citation and what governs is the answer; other sentences would repeat it
        for conflict in conflicts:
            lines.append(conflict.sentence([citations.number(v.passage, v.start, v.end, v.score)
                                            for v in conflict.values]))
        return Composed(_join(lines), citations.items, [c.as_dict() for c in conflicts])
    def emit(piece: Piece) -> None:
        """State a sentence; when it announces a list whose items can be found, with them."""
        count = announced_count(display_text(piece.text))
        if count is not False and not inline_items(piece.text, count):
            shown = lambda item: display_text(item.text) if item.whole else item_text(item.text)
            items = [i for i in list_items(piece, count, reader) if usable(shown(i), min_words=1)]
            if items and state(piece, end=":"):
                for item in items:
                    used.add((item.passage.chunk_id, item.start))
                    lines.append("- " + with_marker(shown(item), citations.of(item), ""))
                return
        state(piece)

    essential = {id(c) for c in [extract.lead or extract.sentences[0], *extract.parts]}
    for rank, candidate in enumerate(choose(question, extract)):
        piece = _piece(candidate, passages)
        if id(candidate) not in essential and len(_join(lines)) + len(display_text(piece.text)) > ANSWER_BUDGET:
            continue  # what the lead and the parts asked for leave room for
        if LEANS_BACK.match(display_text(piece.text)):
            anchor = _anchor(piece)  # None: "This plan ..." opens its paragraph, the document itself
            if anchor is None and rank > 0 and not _opens_paragraph(piece):
                continue  # a supporting sentence without its subject is not used
            if anchor is not None:
                emit(anchor)  # the sentence that gives it its subject, or the list it is an item of
        emit(piece)
    if not lines:  # every chosen sentence was debris: the best clean sentence close to the lead
        lead = extract.lead or extract.sentences[0]
        for candidate in [c for c in extract.ranked[:FALLBACK_LOOK] if c.score >= FALLBACK_RATIO * lead.score]:
            if state(_piece(candidate, passages)):
                break
        else:
            piece = _piece(lead, passages)
            lines.append(with_marker(_without_cover(display_text(piece.text)), citations.of(piece)))
    return Composed(_join(lines), citations.items)


def _join(lines: list[str]) -> str:
    """Prose sentences run on one line; a list's lead and each of its bullets stand on their own."""
    out, previous = "", ""
    for line in lines:
        if not out:
            out = line
        elif line.startswith("- ") or previous.startswith("- ") or previous.endswith(":"):
            out += "\n" + line
        else:
            out += " " + line
        previous = line
    return out


def words(text: str) -> set[str]:
    return set(content_terms(text))
