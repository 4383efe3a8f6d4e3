"""Evaluation metrics: pure functions of an answer, the retrieved passages and the gold case;
no model judge. Words are normalised here, not with the product's own term functions, so
that the product is not graded by the code under test."""

from __future__ import annotations

import math
import re
import string
from typing import Callable, Iterable, Sequence

import numpy as np


# --- matching a retrieved passage or a citation to a gold reference -----------------------
def section_matches(expected: str, got: str) -> bool:
    """A cited paragraph matches the gold one when it is that paragraph or one of its
    subparagraphs (gold 5.a, cited 5.a.(2))."""
    if not expected:
        return True
    return got == expected or got.startswith(expected + ".") or got.startswith(expected + "(")


def source_matches(reference: dict, source: str, section: str, page: int | None = None) -> bool:
    if reference.get("source") != source:
        return False
    if reference.get("section"):
        return section_matches(reference["section"], section)
    if reference.get("page") is not None:
        return page == reference["page"]
    return True


def paragraph_cited(references, citations) -> bool:
    """Whether any citation holds any gold paragraph."""
    return any(source_matches(r, c["source"], c["section"], c.get("page")) for r in references for c in citations)


def passage_matches(reference: dict, level: str, source: str, section: str | None = None,
                    page_start: int | None = None, page_end: int | None = None) -> bool | None:
    """Whether a retrieved passage holds a gold reference at one level:
    - document: same file;
    - paragraph: same file, and the gold section is the passage's section or a parent of it;
      a page-only reference matches on the page (the passage's page span holds it);
    - page: same file and the passage's page span holds the gold page.
    None when the level cannot be judged: a page-level reference without a page, or a
    paragraph-level judgement of a passage that has no section (the naive chunks)."""
    if level == "document":
        return reference.get("source") == source
    if level == "paragraph" and reference.get("section"):
        if section is None:
            return None
        return reference.get("source") == source and section_matches(reference["section"], section)
    if reference.get("page") is None or page_start is None:
        return None
    end = page_start if page_end is None else page_end
    return reference.get("source") == source and page_start <= int(reference["page"]) <= end


def references_at(references: Sequence[dict], level: str) -> list[dict]:
    """The gold references that count at a level: one per document at document level; only
    those with a page at page level."""
    if level == "document":
        seen, out = set(), []
        for r in references:
            if r.get("source") not in seen:
                seen.add(r.get("source"))
                out.append({"source": r.get("source")})
        return out
    if level == "page":
        return [r for r in references if r.get("page") is not None]
    return list(references)


# --- ranked retrieval -----------------------------------------------------------------------
def first_hits(matches: Sequence[Iterable[int]]) -> list[int]:
    """Gain per rank: 1 where a passage holds a gold reference that no higher-ranked passage
    held, else 0. `matches[i]` is the set of reference indices passage i holds. Counting each
    reference once keeps nDCG in [0, 1] when many chunks of one document match."""
    seen: set[int] = set()
    gains = []
    for found in matches:
        new = set(found) - seen
        gains.append(1 if new else 0)
        seen |= new
    return gains


def hit_at(matches: Sequence[Iterable[int]], k: int) -> float:
    return 1.0 if any(set(m) for m in matches[:k]) else 0.0


def mrr_at(matches: Sequence[Iterable[int]], k: int) -> float:
    for rank, found in enumerate(matches[:k], start=1):
        if set(found):
            return 1.0 / rank
    return 0.0


def ndcg_at(matches: Sequence[Iterable[int]], k: int, n_references: int) -> float:
    """Binary-gain nDCG: DCG = sum over ranks i<=k of gain_i / log2(i + 1), with gains from
    first_hits; the ideal ranking puts min(n_references, k) hits first."""
    if n_references <= 0:
        return 0.0
    dcg = sum(g / math.log2(i + 1) for i, g in enumerate(first_hits(matches[:k]), start=1))
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(n_references, k) + 1))
    return dcg / ideal


def retrieval_scores(matches: Sequence[Iterable[int]], n_references: int, prefix: str) -> dict[str, float]:
    return {f"{prefix}_hit@1": hit_at(matches, 1), f"{prefix}_hit@5": hit_at(matches, 5),
            f"{prefix}_hit@10": hit_at(matches, 10), f"{prefix}_mrr@10": mrr_at(matches, 10),
            f"{prefix}_ndcg@10": ndcg_at(matches, 10, n_references)}


# --- answer text -----------------------------------------------------------------------------
MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
FLAG = " [unsupported]"
STOPWORDS = frozenset("""a an and are as at be been by can did do does for from had has have how in is it its
of on or that the their this to was were what when where which who whom why will with would not no
than then there these those also into under over per any all each other such shall may must""".split())


def _normal(text: str) -> str:
    return " ".join(text.lower().replace(",", "").replace("\u2013", "-").split())


def fact_present(fact: str, text: str) -> bool:
    return _normal(fact) in _normal(text)


def fact_recall(facts, answer_text: str) -> float:
    """Share of the reference facts found in the answer (case, commas and spacing ignored)."""
    if not facts:
        return 1.0
    text = _normal(answer_text)
    return sum(1 for f in facts if _normal(f) in text) / len(facts)


def strip_markers(text: str) -> str:
    return MARKER.sub("", text.replace(FLAG, "")).strip()


def tokens(text: str) -> list[str]:
    """SQuAD-style: lower case, punctuation and articles dropped (apart from $ and %, which
    carry meaning in figures), citation markers removed."""
    text = strip_markers(text).lower()
    text = "".join(" " if ch in string.punctuation and ch not in "$%." else ch for ch in text)
    words = [w.strip(".") for w in text.split()]
    return [w for w in words if w and w not in {"a", "an", "the"}]


def token_f1(answer: str, reference: str) -> float:
    got, want = tokens(answer), tokens(reference)
    if not got or not want:
        return float(got == want)
    common = sum(min(got.count(w), want.count(w)) for w in set(got) & set(want))
    if common == 0:
        return 0.0
    precision, recall = common / len(got), common / len(want)
    return 2 * precision * recall / (precision + recall)


def content_words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in STOPWORDS and not (len(w) == 1 and w.isalpha())}


# --- citations -------------------------------------------------------------------------------
MIN_SHARED_WORDS = 0.5  # share of a sentence's content words that its cited quote must hold


def supports(sentence: str, quote: str, facts: Sequence[str] = ()) -> bool:
    """A quote supports an answer sentence when it holds a reference fact that the sentence
    states, or at least MIN_SHARED_WORDS of the sentence's content words."""
    if any(fact_present(f, sentence) and fact_present(f, quote) for f in facts):
        return True
    words = content_words(sentence)
    if not words:
        return False
    return len(words & content_words(quote)) / len(words) >= MIN_SHARED_WORDS


def cited_sentences(answer_sentences: Sequence[str]) -> list[tuple[str, list[int]]]:
    return [(s, [int(n) for g in MARKER.findall(s) for n in g.split(",")]) for s in answer_sentences]


def citation_precision(answer_sentences: Sequence[str], quotes: dict[int, str], facts: Sequence[str] = ()) -> float | None:
    """Share of citations that hold what they are cited for. A citation [n] is precise when its
    quote (the passage text shown for it) supports at least one answer sentence carrying the
    marker [n] (see `supports`). A citation no sentence carries is imprecise. None when the
    answer has no citations."""
    if not quotes:
        return None
    by_marker: dict[int, list[str]] = {}
    for sentence, markers in cited_sentences(answer_sentences):
        for n in markers:
            by_marker.setdefault(n, []).append(sentence)
    good = sum(1 for n, quote in quotes.items() if any(supports(s, quote, facts) for s in by_marker.get(n, [])))
    return good / len(quotes)


def citation_recall(answer_sentences: Sequence[str], quotes: dict[int, str], facts: Sequence[str] = (),
                    unsupported: Iterable[str] = ()) -> float | None:
    """Share of answer sentences with a supporting citation: the sentence carries a marker [n]
    whose quote supports it, and the product's own claim check did not flag it. None when the
    answer has no sentences."""
    if not answer_sentences:
        return None
    flagged = {strip_markers(s) for s in unsupported}
    good = 0
    for sentence, markers in cited_sentences(answer_sentences):
        if strip_markers(sentence) in flagged:
            continue
        good += any(n in quotes and supports(sentence, quotes[n], facts) for n in markers)
    return good / len(answer_sentences)


# --- aggregates ------------------------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]."""
    return float(np.percentile(list(values), q)) if len(values) else None


def bootstrap_ci(values: Sequence[float | None], statistic: Callable = np.mean, resamples: int = 1000,
                 seed: int = 0, level: float = 0.95) -> tuple[float, float] | None:
    """Percentile bootstrap confidence interval of a statistic over cases, seeded so that a
    rerun gives the same interval."""
    kept = np.array([v for v in values if v is not None], dtype=float)
    if len(kept) == 0:
        return None
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(kept), size=(resamples, len(kept)))
    stats = np.array([statistic(kept[row]) for row in draws])
    tail = (1 - level) / 2 * 100
    return float(np.percentile(stats, tail)), float(np.percentile(stats, 100 - tail))


def paired_difference_ci(new: Sequence[float], old: Sequence[float], resamples: int = 1000, seed: int = 0,
                         level: float = 0.95) -> tuple[float, float, float]:
    """Mean of new - old over the same cases, and its bootstrap interval."""
    diffs = np.array(new, dtype=float) - np.array(old, dtype=float)
    ci = bootstrap_ci(list(diffs), resamples=resamples, seed=seed, level=level)
    return float(diffs.mean()), ci[0], ci[1]


# --- composition: is the answer direct, whole and clean? (issue 13) -------------------------
# Fact recall counts facts anywhere in an answer, so a long answer that pastes five sentences
# scores as well as one that answers; these measures look at the rest of the text.
def answer_lines(answer_text: str) -> list[str]:
    """The units a reader takes in turn: each bullet item, and each sentence of the prose
    (sentences split at ". " followed by a capital, as the product's splitter would)."""
    out = []
    for line in answer_text.replace(FLAG, "").splitlines():
        line = line.strip()
        if not line:
            continue
        if re.match(r"^[-*\u2022]\s+", line):
            out.append(line)
            continue
        out += [s for s in re.split(r"(?<=[.!?])(?:\s*\[\d+(?:\s*,\s*\d+)*\])*\s+(?=[A-Z\"'(\u201c$])", line) if s.strip()]
    return out


def answer_length(answer_text: str) -> int:
    """Characters a reader reads: the text without citation markers or flags."""
    return len(strip_markers(answer_text))


def answer_precision(answer_text: str, facts: Sequence[str], conflict_values: Sequence[str] = ()) -> float | None:
    """Share of the answer's lines (sentences and bullet items) that carry a reference fact or
    are needed for one. A line is needed for a fact when it introduces the list that holds it
    (it ends with a colon and the next line is an item holding a fact) or, in a conflict case,
    when it is the note that says the sources disagree. Why this and not token overlap: a gold
    answer is one wording among many, but its facts are what the planner asked for; every other
    line is something the planner reads to no purpose. None when there are no facts to judge
    by or no text."""
    if not facts:
        return None
    lines = answer_lines(answer_text)
    if not lines:
        return None
    carries = [any(fact_present(f, l) for f in (*facts, *conflict_values)) for l in lines]
    good = 0
    for i, line in enumerate(lines):
        if carries[i]:
            good += 1
        elif strip_markers(line).rstrip().endswith(":") and i + 1 < len(lines) and carries[i + 1]:
            good += 1
        elif conflict_values and DISAGREEMENT.search(line):
            good += 1
    return good / len(lines)


def fact_first(answer_text: str, facts: Sequence[str], conflict_values: Sequence[str] = ()) -> float | None:
    """1 when the answer's first line carries a reference fact (or, when it introduces a list,
    its first item does): a planner reads the answer's opening and stops. Answer precision
    counts every line; this one asks whether the fact leads. None without facts or text."""
    if not facts:
        return None
    lines = answer_lines(answer_text)
    if not lines:
        return None
    values = (*facts, *conflict_values)
    first = lines[:2] if strip_markers(lines[0]).rstrip().endswith(":") else lines[:1]
    return float(any(fact_present(f, line) for f in values for line in first))


def list_completeness(answer_text: str, items: Sequence[str]) -> float | None:
    """For a question whose answer is a list the documents give: the share of its items in the
    answer (the items are the case's reference facts)."""
    return fact_recall(items, answer_text) if items else None


DISAGREEMENT = re.compile(r"\b(disagree\w*|differ\w*|conflict\w*|inconsisten\w*|do not agree|does not agree|"
                          r"not consistent)\b", re.I)


def conflict_flagged(answer_text: str, values: Sequence[str]) -> float:
    """1 when the answer gives every one of the disagreeing values and says that they
    disagree (in words a reader would take as that: "differ", "disagree", "conflict")."""
    return float(all(fact_present(v, answer_text) for v in values) and bool(DISAGREEMENT.search(answer_text)))


# Debris that is never part of an answer: a list enumerator left at the start of a sentence or
# standing alone ("e.", "(2)", "b)"), page-break and markup tokens, table pipes, and the fields
# of a memo or plan cover block.
JUNK = (
    ("enumerator", re.compile(r"(?:^|(?<=[.:;]\s)|(?<=^[-*]\s))(?:\(?[a-z]\)|\(\d{1,2}\)|[a-z]\.|\d{1,2}\))\s", re.M)),
    # a label left at a line's end ("... as follows: e."); not a reference the text cites by
    # its letter ("in accordance with Reference (a)", "section 115(i)")
    ("enumerator", re.compile(r"(?:^|(?<![Rr]eference)(?<![Ss]ection)(?<![Pp]aragraph)(?<![Ee]nclosure)\s)"
                              r"(?:[a-hj-z]\.|\(\d{1,2}\)|\([a-z]\))\s*(?:\[\d+\])?\s*$", re.M)),
    ("markup", re.compile(r"\\newpage|\\[a-z]+\{|^#{1,6}\s|\|\s*\||^\s*\|", re.M)),
    ("cover field", re.compile(r"\b(?:Prepared by|Approved by|Reviewed by|MEMORANDUM FOR|SUBJECT|REFERENCES|FROM|"
                               r"Classified by|Distribution|Point of contact|POC)\s*:", re.I)),
)


def junk_found(answer_text: str) -> list[str]:
    """The kinds of debris in an answer (empty when clean)."""
    text = MARKER.sub("", answer_text.replace(FLAG, ""))
    return sorted({kind for kind, pattern in JUNK if pattern.search(text)})
