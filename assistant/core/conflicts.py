"""Sources that disagree on the figure asked for (issue 13).

Two documents can give different amounts for the same thing: a country plan's planning
figure and the memorandum that issues the planning figures, an activity's cost estimated in
two places. The answer must not set them side by side in silence: it says they disagree,
gives each with its citation, and names the one that governs when the documents themselves
say so, or says it cannot tell.

What counts as "the same thing": among the sentences the answerer scored close to its lead,
an amount whose own clause (with the sentence's opening, the paragraph's first sentence and
the document title) holds every name and year of the question and most of its other words.
One amount per document, the one in its best sentence; two documents with different amounts
disagree.

What governs, by the documents' own evidence only:
- a document whose paragraph says it supersedes the other governs;
- a document that attributes its figures to the other (names it: "the J5 program build
  memorandum of 3 November 2025 sets ...") defers to it, so the other governs;
- otherwise the answer says the documents do not tell.
No rule here names a document, partner or place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.passages import Passage
from assistant.core.question_analysis import asking_text, mentions, specific_terms
from assistant.core.terms import content_terms, figure_values, query_terms
from ingest.sentences import split_spans

CONFLICT_RATIO = 0.5  # sentences scored at least this share of the lead's are looked at
MAX_LOOKED_AT = 20
MAX_RATIO = 4.0  # rival figures for one thing: 11.6 vs 6.8, 24.0 vs 8.4; a total and its part: 63.0 vs 1.8
ABOUT_SHARE = 0.75  # share of the question's words an amount's context must hold
TITLE_TERMS_TO_NAME = 2  # distinctive title words that make a mention of another document

AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:thousand|million|billion|[KMB])\b)?", re.I)
CLAUSE_BREAK = re.compile(r",\s+(?:and\s+)?|;\s+|\s+and\s+(?=(?:a|an|the)?\s*\$?)")
YEAR = re.compile(r"^(?:FY)?\d{4}$", re.I)
SUPERSEDES = re.compile(r"\bsupersed\w*\b|\breplaces\b", re.I)


@dataclass(frozen=True)
class Stated:
    """A sentence of a passage that may state the amount asked for."""
    passage: Passage
    start: int
    end: int
    text: str
    score: float


@dataclass
class Value:
    value: str  # as the document writes it: "$44 million"
    amount: str  # canonical, for comparing: "44000000"
    passage: Passage
    start: int  # the sentence that states it
    end: int
    score: float


@dataclass
class Conflict:
    about: str
    values: list[Value]  # one per document, the answer's own first
    governing: int | None = None  # index in values
    why: str = ""
    _numbers: list[int] = field(default_factory=list)

    def sentence(self, numbers: list[int]) -> str:
        """The one sentence the answer gives: the values, each cited, and what governs."""
        self._numbers = list(numbers)
        given = " against ".join(f"{v.value} in the {short_title(v.passage)} [{n}]" for v, n in zip(self.values, numbers))
        return f"The sources disagree on {self.about}: {given}; {self.why}."

    def as_dict(self, citations=None) -> dict:
        numbers = self._numbers or [None] * len(self.values)
        return {"about": self.about,
                "values": [{"value": v.value, "n": [n] if n is not None else []} for v, n in zip(self.values, numbers)],
                "governing_n": numbers[self.governing] if self.governing is not None else None, "why": self.why}


def short_title(passage: Passage) -> str:
    """'J5 Memorandum: FY2027 Security Cooperation Program Build' -> 'J5 Memorandum'."""
    return passage.title.split(":")[0].strip() or passage.source


def about_text(question: str) -> str:
    """What the question asks about, as a noun phrase: "What is Marenta's FY2027 FMF planning
    figure?" -> "Marenta's FY2027 FMF planning figure"."""
    text = asking_text(question).strip().rstrip("?").strip()
    asked = re.match(r"^(?:what|which)\s+(?:is|are|was|were)\s+(?P<thing>.+)$", text, re.I)
    return asked["thing"] if asked else "the figure asked for"


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.end() for m in CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


# an amount that is a part or a bound of the thing, not the thing: "the remaining $8.6 million",
# "at least $2.7 million", "$3.0 million of it"
PART_OF = re.compile(r"\b(?:remaining|rest of|balance of|at least|at most|up to|more than|less than|over|under|"
                     r"minimum|maximum|share|portion|part|including|includes|of which)\s+(?:\w+\s+){0,2}$", re.I)
# "$18 million includes $9.4 million for ... and $8.6 million for ...": the later amounts are parts
SPLIT_INTO = re.compile(r"\$[\d.,]+\s*(?:million|billion|thousand|[KMB])?\b[^$]{0,40}?\b(?:includes?|including|comprises?|"
                        r"consists? of|of which|split|divided)\b", re.I)
PART_AFTER = re.compile(r"^\s*(?:of it|of which|of that|of this|of the total)\b", re.I)
CODE = re.compile(r"\b[A-Z]{1,3}-?\d{1,3}\b")  # an activity, objective or office code: A28, M1, J5


def _terms(text: str) -> set[str]:
    return {t.replace("'", "") for t in content_terms(text)}


def amounts_about(question: str, sentence: str, passage: Passage, glossary=None,
                  titles: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(as written, canonical) for each amount of the sentence that is about what the question
    asks: its clause, the sentence's opening before its first amount and the paragraph's first
    sentence hold the question's years; those and the title hold its names and most of its
    words."""
    found = list(AMOUNT.finditer(sentence))
    if not found:
        return []
    opening = sentence[:found[0].start()]
    spans = split_spans(passage.text)
    first = passage.text[spans[0][0]:spans[0][1]] if spans else ""
    first = "" if sentence.strip() in first else first  # the sentence is its paragraph's first
    specifics = specific_terms(question, glossary)
    wanted = [t.replace("'", "") for t in query_terms(asking_text(question)) if not t.isdigit()]
    # a code the question does not name makes the amount that code's ("(A28) ... whose $0.8
    # million"); a code in a document's title names a source, not a subject
    foreign = set(CODE.findall(sentence)) - set(CODE.findall(question)) - {c for t in titles for c in CODE.findall(t)}
    asked_years = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", question))
    out = []
    for a, b in _clauses(sentence):
        clause = sentence[a:b]
        amounts = list(AMOUNT.finditer(clause))
        if len(amounts) != 1:
            continue
        # a sentence giving several amounts names what each is for in its own clause; a sentence
        # giving one may lean on its paragraph's opening ("5.c. A27. ... Estimated cost is ...")
        local = " ".join([opening, clause]) if len(found) > 1 else " ".join([sentence, first, passage.heading_path])
        named = " ".join([local, passage.title])
        # the amount's own year: a sentence that dates itself to another year is about that year
        own = " ".join([opening, clause]) if len(found) > 1 else sentence
        said_years = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", own))
        if said_years and asked_years and not said_years & asked_years:
            continue
        if any(re.search(rf"\b{re.escape(code)}\b", local) for code in foreign):
            continue
        if not all(mentions(t, local if YEAR.match(t) or t.isdigit() else named, glossary) for t in specifics):
            continue
        terms = _terms(named)
        if wanted and sum(t in terms for t in wanted) / len(wanted) < ABOUT_SHARE:
            continue
        before, after = clause[:amounts[0].start()], clause[amounts[0].end():]
        if (PART_OF.search(before) or PART_AFTER.match(after) or PART_OF.search(opening)
                or SPLIT_INTO.search(sentence[:a + amounts[0].start()])):
            continue
        written = amounts[0].group(0).strip()
        canonical = figure_values(written)
        if canonical:
            out.append((written, max(canonical, key=len)))
    return out


def find_conflicts(question: str, extract, passages: list[Passage], reader=None, glossary=None) -> list[Conflict]:
    """The disagreement on the amount the question asks about, if the sentences the answerer
    scored close to its lead show one (at most one: the question asks one thing)."""
    lead = extract.lead or (extract.sentences[0] if extract.sentences else None)
    if lead is None or not any(AMOUNT.search(c.text) for c in extract.sentences):
        return []  # the answer states no amount
    pool = [lead] + [c for c in extract.ranked[:MAX_LOOKED_AT]
                     if c is not lead and c.score >= CONFLICT_RATIO * lead.score]
    stated = [Stated(passages[c.passage_index], c.start, c.end, c.text, c.score) for c in pool]
    return disagreements(question, stated, tuple({p.title for p in passages}), reader, glossary)


def disagreements(question: str, pool: list[Stated], titles: tuple[str, ...] = (), reader=None,
                  glossary=None) -> list[Conflict]:
    """The disagreement on the amount the question asks about among the sentences of `pool`,
    best first (at most one: the question asks one thing). `titles`: the titles of the
    documents searched (a code in a title names a source, not a subject). Needs no answerer:
    the extractive answerer passes the sentences it scored close to its lead, the check on a
    model's answer the sentences of the passages it cites and was given."""
    by_document: dict[str, Value] = {}
    for s in pool:
        passage = s.passage
        if passage.doc_id in by_document:
            continue
        about = amounts_about(question, s.text, passage, glossary, titles)
        if len({amount for _, amount in about}) != 1:
            continue  # none, or two different amounts in one sentence: not one value for this thing
        written, amount = about[0]
        by_document[passage.doc_id] = Value(written, amount, passage, s.start, s.end, s.score)
    values = list(by_document.values())
    if values:  # an amount several times another is another quantity (a total, a part), not a rival figure
        first = float(values[0].amount)
        values = [v for v in values if first > 0 and 1 / MAX_RATIO <= float(v.amount) / first <= MAX_RATIO]
    if len({v.amount for v in values}) < 2:
        return []
    # one value per amount, the best-scored document's first
    distinct: dict[str, Value] = {}
    for v in values:
        distinct.setdefault(v.amount, v)
    chosen = list(distinct.values())
    governing, why = governs(chosen, reader)
    if governing is not None:  # the governing value first
        chosen.insert(0, chosen.pop(governing))
        governing = 0
    return [Conflict(about_text(question), chosen, governing, why)]


# --- which governs ------------------------------------------------------------------------------
def _context(value: Value, reader) -> str:
    """The value's paragraph and the paragraphs above it (3.b.(2) -> 3.b, 3), where a plan says
    where its figures come from."""
    texts = [value.passage.text]
    section = value.passage.section
    parents = []
    while section and re.search(r"[.(]", section):
        section = re.sub(r"(?:\.\(?\w+\)?|\(\w+\))$", "", section)
        parents.append(section)
    if reader is not None:
        for parent in parents[:3]:
            texts += [text for _, text, _ in reader.paragraph(value.passage.doc_id, parent)]
    return " ".join(texts)


IDENTIFIER = re.compile(r"\b(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)[A-Z0-9-]{2,}\b|\b[A-Z]{2,}\b")
ATTRIBUTES = re.compile(r"\b(?:figures?|sets|set|issued|issues|gives|according to|per)\b", re.I)
YEARS = re.compile(r"^(?:FY)?\d{4}(?:-\d{2,4})?$")


def names_document(text: str, other: Passage, own: Passage) -> bool:
    """Whether text names the other document: the identifier in its title that its own title
    lacks (an office or series code such as "J5" or "AR 12-15"; a fiscal year is not one), and
    at least TITLE_TERMS_TO_NAME words of its title in all. A partner's name or a shared word
    like "plan" is not enough: every document of a theater uses them."""
    own_title = set(content_terms(own.title))
    identifiers = {t for t in IDENTIFIER.findall(other.title) if not YEARS.match(t)} - set(IDENTIFIER.findall(own.title))
    # the sentence that names it must say it is where the figures come from
    naming = [s for s in re.split(r"(?<=[.;])\s+", text) if any(re.search(rf"\b{re.escape(t)}\b", s) for t in identifiers)]
    if not any(ATTRIBUTES.search(s) for s in naming):
        return False
    text = " ".join(naming)
    distinctive = set(content_terms(other.title)) - own_title
    return len(distinctive & set(content_terms(text))) >= TITLE_TERMS_TO_NAME


def governs(values: list[Value], reader=None) -> tuple[int | None, str]:
    """(index of the governing value, the reason in words) by the documents' own evidence."""
    contexts = [_context(v, reader) for v in values]
    for i, v in enumerate(values):
        others = [j for j in range(len(values)) if j != i]
        if SUPERSEDES.search(contexts[i]) and all(names_document(contexts[i], values[j].passage, v.passage)
                                                  for j in others):
            return i, f"the {short_title(v.passage)} says it supersedes the other"
    for i, v in enumerate(values):
        others = [j for j in range(len(values)) if j != i]
        if others and all(names_document(contexts[j], v.passage, values[j].passage) for j in others):
            deferring = " and the ".join(short_title(values[j].passage) for j in others)
            return i, (f"the {short_title(v.passage)} governs, because the {deferring} attributes its figures to it")
    return None, "the documents do not say which governs"
