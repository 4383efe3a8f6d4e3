"""Words, numbers and names of questions and sentences, compared the same way everywhere:
by retrieval (keyword query), the extractive answerer (overlap, refusal) and the claim
checker (numbers and names a sentence must share with its passage)."""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset("""
a about above across after again against all also am among an and any are as at be because been
before being below between both but by can could did do does doing done during each either else
ever every few for from further had has have having he her here hers him his how however i if in
into is it its itself just least less may me might more most much must my no nor not now of off
on once only or other our ours out over own per same shall she should since so some still such
than that the their theirs them then there these they this those though through thus to too
under until up upon us very via was we were what whatever when where whether which while who
whom whose why will with within without would yet you your yours
""".split())

# Words that say how a question is asked, not what it is about.
QUESTION_WORDS = frozenset("""
tell give list show describe explain say says said according document documents plan plans
include includes included including require requires required need needs mean means happen
happened happens compare comparison difference differ change changes stand stands kind type
types way ways thing things get gets got make makes made use used using take takes one two
""".split())

_TOKEN = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?|[A-Za-z][A-Za-z0-9'\u2019\-./&]*[A-Za-z0-9]|[A-Za-z]")
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """A light suffix stripper, enough to match 'boardings'/'boarding', 'teams'/'team'."""
    w = word.lower()
    if len(w) <= 3 or any(c.isdigit() for c in w):
        return w
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ness", ""), ("ments", "ment"), ("ings", ""),
                         ("ing", ""), ("edly", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                return w
            if suffix == "es" and not w.endswith(("sses", "xes", "ches", "shes", "zes")):
                return w[:-1]
            return w[: len(w) - len(suffix)] + keep
    return w


POSSESSIVE = re.compile(r"['\u2019]s$")


def tokens(text: str) -> list[str]:
    return [t.strip("'\u2019.-/") for t in _TOKEN.findall(text) if t.strip("'\u2019.-/")]


def normalize_number(token: str) -> str:
    return token.replace(",", "").replace("$", "").rstrip("%").rstrip(".")


def content_terms(text: str) -> list[str]:
    """Stemmed content words and normalised numbers, in order, without stopwords."""
    out = []
    for token in tokens(text):
        lower = POSSESSIVE.sub("", token.lower())  # "partner's" is "partner" (stemmed, it was "partner'")
        if lower in STOPWORDS:
            continue
        if token[0].isdigit() or token[0] == "$":
            out.append(normalize_number(token))
        else:
            out.append(stem(lower))
    return out


def query_terms(question: str) -> list[str]:
    """Content terms of a question, without the words that only shape the question."""
    seen, out = set(), []
    for term in content_terms(question):
        if term in QUESTION_WORDS or term in seen or len(term) < 2 and not term.isdigit():
            continue
        seen.add(term)
        out.append(term)
    return out


def numbers_in(text: str) -> set[str]:
    """Figures a claim must not invent: amounts, counts, percentages, years (FY2026 -> 2026)."""
    found = set()
    for match in re.finditer(r"(?<![A-Za-z0-9.,])\$?\d[\d,]*(?:\.\d+)?", text):
        value = normalize_number(match.group(0))
        if value and value not in ("0", "1"):  # "1" is too common (lists, "one") to police
            found.add(value.rstrip("0").rstrip(".") if "." in value else value)
    for match in re.finditer(r"\bFY\s?(\d{2,4})\b", text):
        year = match.group(1)
        found.add(year if len(year) == 4 else "20" + year)
    return found


_NAME = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]{2,}[a-z]?)(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}|of|and|the|de))*")


def names_in(text: str) -> set[str]:
    """Capitalised words that are not the first word of a sentence: names, places,
    programs, acronyms ('Castellanos', 'Port Corvel', 'FMF')."""
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = sentence.split()
        for i, word in enumerate(words):
            clean = word.strip("()[],.;:'\"?!")
            if i == 0 or not clean or not clean[0].isupper() or clean.lower() in STOPWORDS:
                continue
            if clean.isupper() and len(clean) == 1:
                continue
            found.add(clean)
    return found


def has_money(text: str) -> bool:
    return bool(re.search(r"\$\s?\d|\b\d[\d,.]*\s*(million|billion|thousand)\b|\bdollars?\b", text, re.I))


def has_number(text: str) -> bool:
    return bool(re.search(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"twenty|thirty|forty|fifty|hundred|half|third|quarter)\b", text, re.I))


def has_date(text: str) -> bool:
    months = "|".join(_MONTHS)
    return bool(re.search(rf"\b({months})\b|\bFY\s?\d{{2,4}}\b|\b(19|20)\d\d\b|\bQ[1-4]\b|\b\d+\s+(days?|weeks?|months?|years?)\b"
                          r"|\b(annual|annually|quarterly|monthly|weekly|daily)\b", text, re.I))


def has_person_or_office(text: str) -> bool:
    """A rank or title before a name, or an office that acts ("the J5", "DSCA", "the USD(P)")."""
    titles = (r"\b(General|Admiral|Colonel|Lieutenant|Major|Captain|Commander|Commodore|Brigadier|Mr|Ms|"
              r"Mrs|Dr|Director|Chief|Minister|Secretary|Commandant|Ambassador|Officer|Office|Division|"
              r"Directorate|Command|Branch|Ministry|Department|Agency|Bureau|Congress|J\d|DSCA|SCO|ODC|OSC|"
              r"SDO|DATT|SOCMER|NDMO|State)\b")
    # an official known by the acronym of the post and its portfolio, as DoD issuances name them
    # ("USD(AT&L)", "ASD(SO/LIC)"): "Who runs ...?" was refused for want of a person
    official = r"\b[A-Z]{2,5}\([A-Z][A-Za-z&/]*\)"
    return bool(re.search(titles, text) or re.search(official, text))


def has_identifier(text: str) -> bool:
    return bool(re.search(r"\b[A-Z]{2}-[A-Z]-[A-Z]{2,3}\b|\b[A-Z]\d{2}\b", text))


# Amounts with a scale: "$750K", "$1.2M", "750 thousand", "$0.75 million". A one-letter scale
# counts only after a dollar sign ("5 m" may be metres).
_SCALED = re.compile(r"(\$\s?)?(\d[\d,]*(?:\.\d+)?)\s?(thousand|million|billion|k|m|mn|b|bn)\b", re.I)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "b": 1e9, "bn": 1e9}


def _canonical(value: float) -> str:
    return str(int(round(value))) if abs(value - round(value)) < 1e-6 else f"{value:.6f}".rstrip("0").rstrip(".")


def _scaled_amounts(text: str) -> list[tuple[str, str]]:
    """(the bare number as numbers_in gives it, the amount it stands for) for each scaled amount."""
    found = []
    for match in _SCALED.finditer(text):
        dollar, number, scale = match.groups()
        if len(scale) <= 2 and not dollar:
            continue
        bare = normalize_number(number)
        bare = bare.rstrip("0").rstrip(".") if "." in bare else bare
        found.append((bare, _canonical(float(number.replace(",", "")) * _SCALES[scale.lower()])))
    return found


def figure_values(text: str) -> set[str]:
    """The amounts a text states, whatever way they are written: '$750,000', '$750K' and
    '$0.75 million' all give '750000'; plain figures as numbers_in gives them."""
    return numbers_in(text) | {amount for _, amount in _scaled_amounts(text)}


def question_figures(text: str) -> set[str]:
    """The figures of a question, a scaled amount as the amount it stands for ('$750K' ->
    '750000', not '750'), so that a passage writing it another way still mentions it."""
    found = numbers_in(text)
    for bare, amount in _scaled_amounts(text):
        found.discard(bare)
        found.add(amount)
    return found
