"""What a question asks and whether a text speaks to it: the kind of answer wanted (an
amount, a date, an office...), its parts, the names and figures it is about, the slot its
answer must fill, and whether a text mentions a term (with the usual variations). Shared by
the extractive answerer's signals and the claim checker."""

from __future__ import annotations

import re

from assistant.core.terms import (QUESTION_WORDS, STOPWORDS, figure_values, has_date, has_identifier, has_money,
                             has_number, has_person_or_office, names_in, numbers_in, question_figures)


# "when" asks for a date where it opens the question, follows "and"/"or"/a comma, or comes
# before an inverted verb ("when must ..."); inside a clause it states a condition ("... success
# when defense policy is synchronized"), and such a question is not a date question. Nor is
# "when can / may ...": it asks under what circumstances as often as at what time ("When can a
# delegation use military airlift?"), and was refused for want of a date.
_ASKS_WHEN = re.compile(r"^\s*when\b(?!\s+(?:can|could|may|might)\b)|(?:\band|\bor|,)\s+when\b(?!\s+(?:can|could|may|might)\b)"
                        r"|\bby when\b|\bwhen\s*\?|\bwhen\s+(?:is|are|was|were|do|does|did|will|would|must|should|has|have|"
                        r"had|shall)\b")


_ASKS_CHARGE = re.compile(r"\b(?:what|which)(?!\s+happen)(?:'s|\s+(?:is|are|was|were))?\s+(?:the\s+|a\s+)?(?:[\w/.-]+\s+){0,6}?"
                          r"(?:fees?|surcharges?|charges?|rates?|per diem|tuition)\b(?!\s+of\b)")


def expected_kind(question: str) -> str | None:
    q = question.lower()
    if re.search(r"\b(case (id|identifier|number)|identifier)\b", q):
        return "identifier"
    if re.search(r"\bwhat (percentage|percent|share)\b|\bhow much of\b", q):
        return "percent"
    # "how much notice / time / lead time" asks for a span of time, not money
    if re.search(r"\bhow much (advance |lead )?(notice|time|warning|lead)\b|\bhow (long|many days|many weeks) (before|after|ahead)\b", q):
        return "duration"
    # "how long does Congress get to review it?", "how quickly must the IA report?", "the maximum
    # repayment period": a span of time. Read as any number, a sentence about the "prescribed
    # period (Table C5.T17.)" held one and answered ahead of the sentence giving "15 days".
    # "How long is the border?" (a length) stays a number.
    if re.search(r"\bhow long\b(?!\s+(?:is|are|was|were)\s+(?!the\s+\w*\s*(?:period|term|wait)))|\bhow quickly\b"
                 r"|\b(?:maximum|minimum|waiting|look-?back|review|retention|repayment)\s+(?:\w+\s+)?period\b", q):
        return "duration"
    if re.search(r"\bhow (much|expensive)\b|\b(cost|costs|budget|worth|price|value|dollars?)\b", q) \
            and not re.search(r"\bhow (many|long|large|big)\b", q):
        return "money"
    if re.search(r"\bhow (many|large|big|long|far|often|fast)\b|\bwhat (percentage|percent|share|number|size)\b|\bhow much\b", q):
        return "number"
    if _ASKS_WHEN.search(q) or re.search(r"\b(what dates?|which dates?|by what date|deadline|how early|how soon|what year|due(?! to))\b", q):
        return "date"
    if re.search(r"^\s*where\b(?!.*\bstand\b)|\bwhere (is|are|will|was|were|did|do|does)\b(?!.*\bstand\b)", q):
        return "place"
    if re.search(r"^\s*who\b|\bwho (is|are|leads|led|approved|signed|owns|commands|conducts|will)\b", q):
        return "person"
    # "what processing fee / per diem rate / surcharge ..." asks for an amount (when nothing else is asked), in dollars or a
    # percentage; without this a near miss (the fee of another service) was answered with any
    # sentence about the service
    if _ASKS_CHARGE.search(q):
        return "charge"
    return None


def asked_kinds(question: str) -> list[str]:
    """Every kind of thing a question asks for, the whole question's first: "Where were the
    radars delivered, and when?" asks for a place and a date, though its trailing "when" is
    too short to be a part of its own."""
    kinds = [expected_kind(question)] + [expected_kind(p) for p in _PART_BREAK.split(question)]
    return [k for k in dict.fromkeys(kinds) if k]


# "Why ...?" is answered by a sentence that gives a cause; a soft preference only: many
# reasons are stated without a causal word, so a why-question is never refused for it
_ASKS_REASON = re.compile(r"^\s*why\b|\b(and|,)\s*why\b|\bwhat (caused|causes|explains)\b|\bfor what reason\b", re.I)
_GIVES_REASON = re.compile(r"\b(because|causes?|caused|due to|owing to|as a result|results? (from|in)|resulted|explains?|"
                           r"reasons?|driven by|stems? from|led to|leads? to|so that)\b", re.I)


def has_place(text: str) -> bool:
    """A named place: 'at Tesmir', 'in Port Corvel', 'to the Cape Merrow ... sites' (not 'in April')."""
    return any(m.group(1) not in _MONTH_NAMES for m in re.finditer(r"\b(?:at|in|to|near|from)\s+(?:the\s+)?([A-Z][a-z]+)", text))


_MONTH_NAMES = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December", "The", "FY"}

def has_duration(text: str) -> bool:
    """'within 30 days', 'a 90-day period', 'one year after delivery', 'within an hour'."""
    return bool(re.search(rf"(?:\b{_NUMBER_WORD}|\b(?:a|an|sixty|ninety|fifteen|forty-five))[\s-]+(?:calendar |working |business )?"
                          r"(?:days?|weeks?|months?|years?|hours?|minutes?)\b", text, re.I))


_KIND_TEST = {"place": has_place, "duration": has_duration,
              "percent": lambda text: bool(re.search(rf"(\d|\b{_NUMBER_WORD})\s?(%|percent\b)", text, re.I)), "money": has_money,
              "charge": lambda text: has_money(text) or _KIND_TEST["percent"](text), "number": has_number, "date": has_date,
              "person": has_person_or_office, "identifier": has_identifier}


def holds_kind(kind: str, sentence: str, question: str) -> bool:
    """Whether the sentence holds the kind of thing asked for, not counting the figures the
    question itself gives ("333" in "a Section 333 program" is not an answer to how much)."""
    for number in sorted(numbers_in(question), key=len, reverse=True):
        sentence = re.sub(rf"(?<![\d.]){re.escape(number)}(?!\d)", " ", sentence)
    return _KIND_TEST[kind](sentence)


def is_multi_part(question: str) -> bool:
    """Questions that ask about two things at once ("compare", "X and Y", "both")."""
    return bool(re.search(r"\b(compare|comparison|both|across|between|versus|vs\.?|each of|respectively|change)\b", question, re.I)
                or re.search(r",\s*(and|or)\b|\band (what|which|who|when|how|where|why)\b|\bfrom\b.+\bto\b", question, re.I)
                or re.search(r"\b[A-Z][\w-]+ and [A-Z][\w-]+", question)
                or len(numbers_in(re.sub(r"\d{4}\s?[-\u2013]\s?(?:FY)?\d{2,4}", "", question))) >= 2)


_ANNOUNCES = re.compile(r"\b(two|three|four|five|six|several)\s+(?:\w+\s+){0,2}\w+s\s+(remain|are|were|include|exist|stand out)\b|:\s*$", re.I)
_ENUMERATES = re.compile(r"(the\s+)?(first|second|third|fourth|fifth|last|other|another|next)\b|(first|second|third|finally)\s*,", re.I)
MAX_ENUMERATED = 4

_PART_BREAK = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|;\s*)(?=(?:(?:on|by|in|at|for|to|from|under)\s+)?(?:what|which|who|whom|whose|when|where|why|how)\b)",
    re.I)


def question_parts(question: str) -> list[str]:
    """The separate things a question asks ("Who approved the plan, and when did it take
    effect?" -> two parts); one part for a simple question."""
    parts = [p.strip(" ,;?") for p in _PART_BREAK.split(question)]
    parts = [p for p in parts if len(p.split()) >= 2] or [question]
    years = sorted(set(re.findall(r"\b(?:FY\s?)?(20\d\d)\b", question)))
    if len(parts) == 1 and len(years) == 2 and is_multi_part(question):
        # a comparison of two years: each year is a part ("FY2026 ... with its FY2027 figure")
        parts = [re.sub(rf"\b(?:FY\s?)?{other}\b", "", question) for other in reversed(years)]
    elif len(parts) == 1:
        # "the difference between an MOP and an MOE": what each one is
        match = re.search(r"\b(?:difference|distinction|differ\w*) between (.+?) and (.+?)[?.]?$", question, re.I)
        if match:
            parts = [f"What is {match.group(1)}", f"What is {match.group(2)}"]
    return parts


_NUMBER_WORD = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)"


# words a document uses for the people a question counts ("How many people" -> "1,450 personnel")
_COUNTED_SYNONYMS = {"people": ["personnel", "persons", "members", "troops", "staff", "participants"],
                     "persons": ["personnel", "people"], "personnel": ["people", "persons", "members", "troops"],
                     "countries": ["nations"], "nations": ["countries"]}


_PERSON_NAME = r"(?:[A-Z][a-z]+\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+"


def names_holder(role: str, sentence: str) -> bool:
    """Whether the sentence names who holds the role ("Ambassador Jane Rowe", "Jane Rowe, the
    U.S. Ambassador"), not only the role ("at the Ambassador's request" names nobody: it was
    taken for an answer to "Who is the U.S. Ambassador to X?")."""
    own = rf"\b{re.escape(role)}\b(?!['\u2019]s)"
    return bool(re.search(rf"{own},?\s+(?:is\s+|was\s+)?{_PERSON_NAME}", sentence)
                or re.search(rf"{_PERSON_NAME},?\s+(?:is\s+|was\s+|as\s+)?(?:the\s+)?(?:[A-Z][\w.]*\s+){{0,3}}{own}",
                             sentence))


def slot_check(question: str, sentence: str, glossary=None) -> str | None:
    """The slot the answer fills must be named by the sentence that answers: the role in
    "Who is the U.S. Ambassador to X?", the thing counted in "How many students ...?" (with
    a figure right before it), the budget in "What is the operating budget of ...?", "each"
    in a unit-cost question. Returns the missing word, or None."""
    match = re.search(r"^\s*(?i:who (?:is|was|are|were) (?:the )?)((?:[A-Z][\w.]*\s?)+)", question)
    if match:
        role = match.group(1).split()[-1]
        return None if names_holder(role, sentence) else role
    match = re.search(r"\b(?i:how many) ((?:[A-Za-z][\w-]*\s?){1,4})", question)
    if match:
        counted = [w for w in match.group(1).split() if w.islower() and w not in STOPWORDS and w not in QUESTION_WORDS
                   and w not in ("took", "take", "were", "did", "does", "will")]
        lowered = sentence.lower()
        for word in counted:
            for form in [word] + _COUNTED_SYNONYMS.get(word, []):
                prefix = re.escape(form[: max(4, len(form) - 2)])
                if re.search(rf"\b{_NUMBER_WORD}\s+(?:\S+\s+){{0,3}}{prefix}", lowered):
                    return None
        return counted[0] if counted else None
    if expected_kind(question) == "money":
        if re.search(r"\b(unit cost|per unit|each)\b", question, re.I) and not re.search(r"\b(each|per|unit)\b", sentence):
            return "each"
        noun = re.search(r"\b(budget|price)\b", question, re.I)
        if noun and not mentions(noun.group(1), sentence, glossary):
            return noun.group(1)
    return None


_MEMO_NUMBER = re.compile(r"\b(?:policy|memo|memorandum|letter|no\.|number|DSCA)\s+(?:[A-Za-z]+\s+){0,2}?(\d{2}-\d{2,3})(?![\w.-])",
                          re.I)


def specific_terms(question: str, glossary=None) -> list[str]:
    """Names, years, figures and ids in the question: an answer that never mentions one of
    them answers a different question."""
    terms = []
    # in the question's order: a set's order changes with the hash seed, and with it the
    # wording of a refusal ("mention Norway and Greece" / "Greece and Norway")
    for name in sorted(names_in(question), key=lambda n: (question.find(n), n)):
        bare = re.sub(r"'s$", "", name)
        head = re.split(r"[-/]", bare)[0]
        acronym = head[:-1] if head.endswith("s") and head[:-1].isupper() else head
        # acronyms ("MOEs", "FMF-funded") are checked through the glossary's long forms
        if acronym.isupper() and (glossary is None or acronym not in glossary.long_forms):
            continue
        if len(bare) >= 3 and bare.lower() not in ("what", "which", "how", "who", "when", "where", "why"):
            terms.append(bare)
    ranges = re.findall(r"\b(?:FY)?(\d{4})\s?[-\u2013]\s?(?:FY)?(\d{2,4})\b", question)
    in_ranges = {n for pair in ranges for n in pair}
    terms += [f"{a}-{b}" for a, b in ranges]
    # a memo's number ("DSCA Policy 06-04") is one name, not the figures 06 and 04 (which any
    # date or paragraph mentions): a question about a memo the library lacks was answered
    memo_numbers = _MEMO_NUMBER.findall(question)
    in_numbers = {n for number in memo_numbers for n in number.split("-")}
    terms += memo_numbers
    terms += sorted(n for n in question_figures(question) if n not in in_ranges and n not in in_numbers)
    return list(dict.fromkeys(terms))


def mentions(term: str, text: str, glossary=None) -> bool:
    """Whether text mentions term, allowing possessives and adjectival forms (Zarvia,
    Zarvian, Zarvia's) and the acronym's long form or the long form's acronym."""
    lowered = text.lower()
    t = term.lower()
    if re.fullmatch(r"[A-Z]{2,}s", term):  # a plural acronym: "MOEs" is mentioned by "MOE"
        return mentions(term[:-1], text, glossary)
    compound = re.fullmatch(r"([A-Z][A-Z0-9]+)-[a-z]+", term)
    if compound:  # "FMF-funded" is about FMF
        return mentions(compound.group(1), text, glossary)
    if re.fullmatch(r"\d{4}-\d{2,4}", t):  # a range of years: both ends, together
        start, end = t.split("-")
        return bool(re.search(rf"{start}\s*(?:-|\u2013|through|to)\s*(?:fy)?\s*(?:20)?{end[-2:]}\b", lowered))
    if t.isdigit() or re.fullmatch(r"[\d.]+", t):
        # the same figure written another way counts: $750K = $750,000 = $0.75 million
        return bool(re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", lowered.replace(",", ""))) or t in figure_values(text)
    if t in ("united", "states") and re.search(r"\bu\.\s?s\.", lowered):
        return True  # "the United States" is "the U.S." in most of these documents
    stemmed = t[: max(4, len(t) - 2)] if len(t) > 5 else t
    if re.search(rf"\b{re.escape(stemmed)}", lowered):
        return True
    if glossary is not None:
        for form in glossary.long_forms.get(term.rstrip("s"), []):
            if form.lower() in lowered:
                return True
        acronym = glossary.acronym_of.get(t)
        if acronym and re.search(rf"\b{re.escape(acronym.lower())}\b", lowered):
            return True
    return False


OR_WINDOW = 4  # words either side of "or" that make up an alternative


def either_or(question: str, specifics: list[str], text: str, glossary=None) -> list[str]:
    """The names and figures an answer must mention when the question offers alternatives:
    in "What happens if FMF or Title 10 funding is reduced?" a passage about FMF answers, and
    "Title" and "10" are not required of it (they were, and every such question was refused).
    The terms of one side of an "or" are dropped once a term of the other side is mentioned."""
    words = question.split()
    dropped: set[str] = set()
    for i, word in enumerate(words):
        if word.lower() != "or" or i == 0:
            continue
        left = " ".join(words[max(0, i - OR_WINDOW):i])
        right = " ".join(words[i + 1:i + 1 + OR_WINDOW])
        sides = [[t for t in specifics if t in left], [t for t in specifics if t in right]]
        for side, other in ((0, 1), (1, 0)):
            if sides[side] and any(mentions(t, text, glossary) for t in sides[side]):
                dropped |= {t for t in sides[other] if t not in sides[side] and not mentions(t, text, glossary)}
    return [t for t in specifics if t not in dropped]


_IMPERATIVE = re.compile(r"^\s*(list|name|describe|give|explain|identify|summari[sz]e|tell|compare|outline|state)\b", re.I)


_YES_NO = re.compile(r"^\s*(?:can|could|may|might|must|should|shall|will|would|is|are|was|were|does|do|did|has|have|had)\b",
                     re.I)


_ISSUANCE_NUMBER = re.compile(r"\b(?:DoD[DIM]?|CJCS[IM]|JP|Instruction|Directive|Manual|Issuance)\s+"
                              r"(\d{1,4}(?:\.\d{1,3})+[A-Z]?)(?![\w.])")


def cited_documents(asking: str) -> list[str]:
    """The documents a question takes as its source, by number ("under DSCA Policy 19-03",
    "Per DoDI 5200.39, ..."): the answer must come from them, not from another memo that only
    lists them among its references. A yes/no question about a document ("Is DoDD 4500.9E
    still current?") may be answered by the one that replaced it, so it names no source."""
    if _YES_NO.match(asking):
        return []
    return list(dict.fromkeys(_MEMO_NUMBER.findall(asking) + _ISSUANCE_NUMBER.findall(asking)))


def answer_specifics(asking: str, glossary=None) -> list[str]:
    """The names and figures an answer must be about. In a yes/no question the figures
    describe the case ("Can a 25-year-old, 2,500-ton ship be transferred ...?") and the
    documents give the rule it is held against ("20 years old or more, no more than 3,000
    tons"), so those figures need not appear; its years and document numbers still must."""
    terms = specific_terms(asking, glossary)
    if not _YES_NO.match(asking):
        return terms
    return [t for t in terms if not (re.fullmatch(r"\d+(?:\.\d+)?", t) and "." not in t
                                     and not re.fullmatch(r"(?:19|20)\d\d", t))]


# "After the State Department suspends assistance, how quickly must ...": a leading clause that
# sets the scene, not one that asks ("When is the exercise, how many ...")
_SCENE_CLAUSE = re.compile(r"^\s*(?:after|when|whenever|once|if|before|since|until|while|following)\s+"
                           r"(?!(?:is|are|was|were|does|do|did|will|would|can|could|should|must|has|have|had)\b)"
                           r"(?P<clause>[^?]+?),\s*(?=(?:what|which|who|whom|whose|when|where|why|how|can|could|does|do|"
                           r"did|is|are|must|should|may|will)\b)", re.I)


def scene_specifics(asking: str, specifics: list[str]) -> list[str]:
    """The names and figures that only a leading clause of the question gives, setting up the
    case it asks about: an answer need not repeat them (samm: "After the State Department
    suspends ..., how quickly must the IA report?" was refused because the sentence giving the
    deadline does not name the State Department). The answerer still wants some passage found
    to mention them, so a near miss set in a clause ("If <a partner no document names> asks,
    ...") is refused."""
    match = _SCENE_CLAUSE.match(asking)
    if not match:
        return []
    clause, rest = match["clause"].lower(), asking[match.end():].lower()
    return [t for t in specifics if t.lower() in clause and t.lower() not in rest]


def asking_text(question: str) -> str:
    """The sentences of a question that ask, without the scenario it sets up first: in "We
    expect to kick off a 333 program in FY2024. What event starts the clock?" the year and the
    program set the scene, and an answer need not repeat them."""
    # a sentence ends after a word or figure, not after an initial or abbreviation ("U.S.")
    pieces = re.split(r"(?<=[a-z0-9)]{2}[.?!])\s+(?=[A-Z])", question.strip())
    sentences: list[str] = []
    for piece in pieces:  # "U.S. Code ..." is not two sentences: a piece of a few words joins the next
        if sentences and len(sentences[-1].split()) < 4:
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    asking = [s for s in sentences if s.rstrip().endswith("?") or _IMPERATIVE.match(s)]
    return " ".join(asking) if asking and len(asking) < len(sentences) else question
