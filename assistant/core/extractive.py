"""The default answerer: no model, works anywhere, well under a second.

It scores every sentence of the retrieved passages against the question (meaning, shared
rare words, the passage's own rank, and whether the sentence holds the kind of thing asked
for: an amount, a count, a date, a person or office), keeps the few best that add something
new (greedily: relevance plus the question words, figures and names it adds), and cites
each. It refuses when the passages do not answer: no sentence close enough,
none holding the kind of thing asked for, or a name, number or year of the question that the
chosen sentences never mention (the near miss: Estrovia's FMF when the documents give
Marenta's), or a slot the answering sentence does not fill (the Ambassador's name, the count
of the thing asked about).
"""

from __future__ import annotations

import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from assistant.core.answer_params import AnswerParams, fitted
from assistant.core.passages import Passage, comes_from, document_numbers
from assistant.core.question_analysis import (_ANNOUNCES, _ENUMERATES, MAX_ENUMERATED, asking_text, cited_documents,
                                              either_or, expected_kind, holds_kind, is_multi_part, mentions,
                                              question_parts, scene_specifics, slot_check)
from assistant.core.signals import Ask, Candidate, lead, score, support_text
from assistant.core.terms import content_terms, numbers_in, query_terms
from ingest.sentence_vectors import unpacked
from ingest.sentences import split_spans

MAX_SENTENCES = 5
PRIMARY_TRIES = 3  # close contenders tried as the answering sentence before refusing
CORROBORATE_RATIO = 0.6  # a near-duplicate from another document this close is cited too
GREEDY_FLOOR = 0.4  # sentences below this share of the top score are not considered
GAIN_TERMS = 0.5  # weight of the question words a sentence adds
GAIN_FIGURES = 0.1  # weight of a figure a sentence adds
PART_MARGIN = 0.0  # a part's own best sentence is added when it beats the primary by this share (0.05: -1 cited)
LONG_QUESTION_SPECIFICS = 4  # names, figures and years in a question before one may go unmentioned
MAX_SENTENCE_WORDS = 90
SENTENCE_CACHE = 50000
# sentences without a stored vector embedded per question: bounds p95 latency; gold fact recall 0.707 -> 0.696
MAX_EMBEDDED = 45
# Sentences embedded at once, each alone, on this many threads (onnxruntime runs outside the
# GIL). 2 on these 2-core machines: 3 was slower than 2 (oversubscribed), see _encode_each.
EMBED_WORKERS = max(1, min(4, os.cpu_count() or 1))
# The weights of a sentence's score and the thresholds below which it does not answer are in
# AnswerParams (fitted; see answer_params.py); the signals that adjust a score in signals.py.


@dataclass
class Extract:
    sentences: list[Candidate]
    refused: bool
    reason: str = ""
    missing: tuple[str, ...] = ()  # on a refusal: the question's terms no chosen sentence answers for
    # for composing the answer (assistant/core/composition.py): the sentence that answers,
    # the best sentences of the other parts of a multi-part question, and every scored
    # sentence best first (where a disagreeing source is looked for)
    lead: Candidate | None = None
    parts: list[Candidate] = field(default_factory=list)
    ranked: list[Candidate] = field(default_factory=list)


class ExtractiveAnswerer:
    def __init__(self, embedder, max_sentences: int = MAX_SENTENCES, params: AnswerParams | None = None):
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.params = params or fitted()
        self._cache: dict = {}  # sentence text -> vector; dicts keep insertion order (FIFO)
        self._lock = threading.Lock()
        self._workers: ThreadPoolExecutor | None = None  # made on first use; shared by every caller

    def _sentence_vectors(self, texts: list[str]):
        """Vectors of the question and of sentences without one stored at ingest, remembered:
        the same passages come back for related questions, and embedding sentences was most of
        an extractive answer's time before ingest kept their vectors.

        One answerer serves every session of the app at once: the cache is read and changed
        under a lock (eviction by one thread would otherwise drop a vector another thread is
        about to read), and this call's vectors are kept aside so that its own insertions
        cannot evict them either. Embedding runs outside the lock."""
        unique = list(dict.fromkeys(texts))
        with self._lock:
            found = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in found]
        if missing:
            # one sentence at a time: the int8 model quantizes each batch as a whole, so a
            # sentence's vector would depend on the sentences beside it (cosine 0.98) and an
            # answer on the questions asked before it. Unpadded, it is also faster here
            # (45 sentences: 275 ms alone against 490 ms batched).
            fresh = dict(zip(missing, self._encode_each(missing)))
            found.update(fresh)
            with self._lock:
                self._cache.update(fresh)
                while len(self._cache) > SENTENCE_CACHE:
                    self._cache.pop(next(iter(self._cache)))
        return np.stack([found[t] for t in texts])

    def _encode_each(self, texts: list[str]) -> list:
        """Each text's vector, every text encoded alone, several at a time. A vector does not
        depend on what runs beside it (bitwise equal to one after the other: the int8 model
        quantizes per call, and each call holds one text), so only the time changes: 60 dsca
        questions asked of two assistants in turn in one process (load 6.8 on 2 cores), whole
        answer p50 629 -> 538 ms, p95 1,864 -> 1,370 ms, the same answers."""
        if len(texts) < 2 or EMBED_WORKERS < 2:
            return [self.embedder.encode([text])[0] for text in texts]
        with self._lock:
            if self._workers is None:
                self._workers = ThreadPoolExecutor(EMBED_WORKERS, thread_name_prefix="sentence-vectors")
        return list(self._workers.map(lambda text: self.embedder.encode([text])[0], texts))

    def candidates(self, passages: list[Passage]) -> list[Candidate]:
        found = []
        for index, passage in enumerate(passages):
            for start, end in split_spans(passage.text):
                text = passage.text[start:end].strip()
                if len(text.split()) < 4 or len(text.split()) > MAX_SENTENCE_WORDS:
                    continue
                found.append(Candidate(index, start, end, text, set(content_terms(text))))
        return found

    def extract(self, question: str, passages: list[Passage], glossary=None, expansions=()) -> Extract:
        if not passages:
            return Extract([], True, "nothing in the documents matches the question")
        asking = asking_text(question)
        absent = [n for n in cited_documents(asking) if not any(comes_from(n, p) for p in passages)]
        if absent:
            return Extract([], True, f"no passage found comes from {' or '.join(absent)}")
        candidates = self.candidates(passages)
        if not candidates:
            return Extract([], True, "the passages found hold no usable sentence")
        q_terms = query_terms(question)
        extra_terms = [t for e in expansions for t in content_terms(e) if t not in q_terms]
        sentence_frequency: dict[str, int] = {}
        for c in candidates:
            for t in c.terms:
                sentence_frequency[t] = sentence_frequency.get(t, 0) + 1
        n = len(candidates)
        idf = {t: math.log(1 + n / (1 + sentence_frequency.get(t, 0))) for t in q_terms + extra_terms}
        weights = {t: idf[t] for t in q_terms}
        weights.update({t: 0.5 * idf[t] for t in extra_terms})
        total = sum(weights.values()) or 1.0

        for c in candidates:
            c.lexical = sum(w for t, w in weights.items() if t in c.terms) / total
        # sentence vectors made at ingest from the chunk's forward pass (ingest/sentence_vectors.py);
        # a chunk stored before them has none, and its sentences are embedded here
        pooled = [unpacked(p.metadata) for p in passages]
        stored = {id(c): pooled[c.passage_index].get((c.start, c.end)) for c in candidates}
        missing = [c for c in candidates if stored[id(c)] is None]
        if len(missing) > MAX_EMBEDDED:
            # only the likeliest of them are embedded: cheap overlap and passage rank first
            prior = lambda c: c.lexical + 0.5 * (passages[c.passage_index].dense_score or 0.3) - 0.02 * c.passage_index
            kept = {id(c) for c in sorted(missing, key=prior, reverse=True)[:MAX_EMBEDDED]}
            candidates = [c for c in candidates if stored[id(c)] is not None or id(c) in kept]
            missing = [c for c in missing if id(c) in kept]
        # the question, its parts (a question that asks two or three things) and the sentences
        # without a stored vector, each embedded alone (_sentence_vectors) and cached: asked
        # again, answered faster
        parts = question_parts(asking)
        parts = parts if len(parts) >= 2 else []
        vectors = self._sentence_vectors([question] + parts + [
            self._context(passages[c.passage_index]) + display_sentence(c.text) for c in missing])
        question_vector, part_vectors = vectors[0], vectors[1:1 + len(parts)]
        embedded = dict(zip(map(id, missing), vectors[1 + len(parts):]))
        sentence_vectors = np.stack([stored[id(c)] if stored[id(c)] is not None else embedded[id(c)]
                                     for c in candidates]) if candidates else np.zeros((0, len(question_vector)))
        semantic = sentence_vectors @ question_vector
        ask = Ask.whole(question, weights, glossary)
        kind, specifics, params = ask.kind, ask.specifics, self.params
        for c, sim in zip(candidates, semantic):
            c.semantic = float(sim)
            c.score = score(ask, c, sim, passages[c.passage_index], params)
        ranked = sorted(candidates, key=lambda c: -c.score)
        best = ranked[0]
        if best.score < params.min_score:
            return Extract([], True, "no passage is close enough to the question")
        multi_part = is_multi_part(asking)
        floor = (params.multi_part_primary_ratio if multi_part else params.primary_ratio) * best.score
        contenders = [c for c in ranked if c.score >= floor and (not kind or holds_kind(kind, c.text, question))]
        if not contenders:
            return Extract([], True, f"no passage states the {kind} asked for")
        # the primary sentence is the best close contender that is about what was asked;
        # when none is, the answer is refused for what the best one leaves out
        missing = None
        part_rankings = self._part_rankings(asking, parts, part_vectors, candidates, sentence_vectors, passages)
        for primary in contenders[:PRIMARY_TRIES]:
            must = self._part_answers(part_rankings, primary, best.score)
            chosen = self._select([primary] + must + [c for c in ranked if c is not primary and c not in must],
                                  weights, passages, specifics, glossary, keep=1 + len(must))
            unmet = self._unmet(question, asking, primary, chosen, passages, specifics, multi_part, glossary)
            if not unmet:
                missing = []
                break
            missing = missing if missing is not None else unmet
        if missing:
            return Extract([], True, f"the passages found do not mention {', '.join(missing)}", tuple(missing))
        chosen += self._enumerated(chosen, candidates)
        chosen.sort(key=lambda c: (c.passage_index, c.start))
        return Extract(chosen, False, lead=primary, parts=must, ranked=ranked)

    @staticmethod
    def _enumerated(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
        """The items a chosen sentence announces ("Two requirements remain unfunded." ->
        "The first is ... The second is ..."): they say little alone, so they rank low, but
        the announcing sentence is empty without them."""
        added = []
        for c in chosen:
            if not _ANNOUNCES.search(c.text) or len(c.text.split()) > 14:
                continue
            following = sorted((o for o in candidates if o.passage_index == c.passage_index and o.start > c.start),
                               key=lambda o: o.start)
            for item in following[:MAX_ENUMERATED]:
                if not _ENUMERATES.match(display_sentence(item.text)):
                    break
                if item not in chosen and item not in added:
                    added.append(item)
        return added

    def _unmet(self, question: str, asking: str, primary: Candidate, chosen: list[Candidate], passages, specifics,
               multi_part: bool, glossary) -> list[str]:
        """What of the question the answer leaves out: a name, figure or year no chosen
        passage mentions, one the answering sentence is not about, or the slot it fails to
        fill."""
        support = " ".join(" ".join([passages[c.passage_index].title, passages[c.passage_index].identity,
                                     passages[c.passage_index].heading_path, passages[c.passage_index].text])
                           for c in chosen)
        scene = scene_specifics(asking, specifics)
        if scene:  # set up by a leading clause: enough that a passage found mentions it
            found = " ".join(" ".join([p.title, p.identity, p.heading_path, p.text]) for p in passages)
            specifics = [t for t in specifics if t not in scene or not mentions(t, found, glossary)]
        missing = [t for t in either_or(asking, specifics, support, glossary) if not mentions(t, support, glossary)]
        if missing or multi_part:
            return missing
        # the sentence that answers must itself be about what was asked: a figure for
        # Pelora does not answer a question about Zarvia
        here = passages[primary.passage_index]
        own = support_text(here, primary)
        # "FMF or Title 10 funding": a sentence about one side answers (either_or)
        specifics = either_or(asking, specifics, own, glossary)
        missing = [t for t in specifics if not mentions(t, own, glossary)]
        if len(specifics) >= LONG_QUESTION_SPECIFICS and len(missing) == 1:
            # one of many named things may stay implicit in the answering sentence when
            # its parent paragraph says it (5.d "Leahy vetting", 5.d.(1) the dates)
            nearby = " ".join(p.text for p in passages if p.doc_id == here.doc_id and p.section
                              and p.section != here.section and here.section.startswith(p.section))
            if mentions(missing[0], nearby, glossary):
                missing = []
        # a figure or year must be the sentence's own (a title "FY2026-2028" says nothing
        # about which year a sentence's figure is for); a number that names an event with
        # the word before it ("CORAL SHIELD 25", "TIDEWATCH 28"; not "AECA 36(b)", a
        # provision of an acronym's law) must come with that word, where the title may say it
        local = " ".join([here.heading_path, primary.text, document_numbers(here.identity)])
        named = {number: word for word, number in re.findall(r"\b([A-Z][A-Za-z]+)\s+(\d+)\b(?!\()", asking)
                 if glossary is None or word not in glossary.long_forms}
        missing += [t for t in specifics if t[0].isdigit() and t not in missing and t not in named
                    and not mentions(t, local, glossary)]
        missing += [f"{named[t]} {t}" for t in specifics if t in named and t not in missing
                    and not re.search(rf"\b{re.escape(named[t])}\s+{t}\b", own, re.I)]
        if not missing:
            slot = slot_check(asking, primary.text, glossary)
            missing = [slot] if slot else []
        if not missing:
            # beyond its names, the question asks something ("conduct the independent
            # evaluation"): the answering sentence must share at least one of those words,
            # which may come from the scenario it sets up ("... radios couldn't join the
            # encrypted nets. What pays for a fix?")
            named = {w.lower() for t in specifics for w in re.split(r"[\s'-]+", t)}
            focus = [t for t in query_terms(question) if t not in named and not t[0].isdigit()]
            if focus and not any(mentions(t, " ".join([here.heading_path, primary.text]), glossary) for t in focus):
                missing = [" ".join(focus)]
        return missing

    def _part_rankings(self, question: str, parts: list[str], part_vectors, candidates: list[Candidate],
                       sentence_vectors, passages) -> list[list[tuple[float, Candidate]]]:
        """For a question that asks two or three things (`parts`, with their vectors), the
        candidates ranked for each part on its own (meaning, its words, its kind of answer,
        its year), by the same scoring as the whole question."""
        rankings = []
        for part, vector in zip(parts, part_vectors):
            ask = Ask.part(part, question)
            sims = sentence_vectors @ vector
            scored = ((score(ask, c, sim, passages[c.passage_index], self.params), c) for c, sim in zip(candidates, sims))
            rankings.append(sorted(scored, key=lambda x: -x[0]))
        return rankings

    def _part_answers(self, rankings, primary: Candidate, top: float) -> list[Candidate]:
        """The best sentence for each part that the primary sentence does not already
        answer: a greedy pick over the whole question tends to answer its first half twice."""
        found = []
        for scored in rankings:
            part_score, answer = scored[0]
            primary_score = next(sc for sc, c in scored if c is primary)
            if answer is primary or answer in found or part_score - primary_score < PART_MARGIN * part_score:
                continue  # the primary sentence already answers this part about as well
            if part_score >= self.params.part_floor * top:
                found.append(answer)
        return found

    def _select(self, ranked: list[Candidate], weights: dict, passages, specifics, glossary,
                keep: int = 1) -> list[Candidate]:
        """The primary sentence, then, one at a time, the sentence with the best relevance
        plus what it adds: question words not yet covered, a new figure, a name of the
        question no chosen passage mentions yet. Near-duplicates are not repeated; one from
        another document is cited beside its twin. Tuned on the gold suite: greedy gain
        0.789 paragraph cited / 0.709 fact recall against 0.733 / 0.685 for ranking with a
        novelty filter."""
        chosen = list(ranked[:keep])
        top = max(c.score for c in ranked)
        total = sum(weights.values()) or 1.0
        covered = set(t for t in weights if t in ranked[0].terms)
        figures = numbers_in(ranked[0].text)

        def passage_text(c):
            p = passages[c.passage_index]
            return " ".join([p.title, p.identity, p.heading_path, p.text])

        unmet = {t for t in specifics if not mentions(t, passage_text(ranked[0]), glossary)}
        # An added sentence stays on the subject the question names. When the answering
        # sentence's passage mentions a name of the question, a sentence whose passage mentions
        # none is about another partner or program, however close its wording: a new plan's
        # "... builds maritime security capacity with FMF of $7 million in FY2026" was added to
        # another partner's FY2026 FMF once sentences were scored in their paragraph's context.
        # Names, not figures or acronyms: an acronym (FMF, IMET) is a topic every partner's
        # paragraphs share; a compound ("X-led", "X-funded") names its first part.
        names = [re.sub(r"-[a-z]+$", "", t) for t in specifics if not t[0].isdigit() and not t.isupper()]
        on_subject = lambda c: any(mentions(t, passage_text(c), glossary) for t in names)  # noqa: E731
        stay_on_subject = bool(names) and on_subject(ranked[0])
        for c in chosen[1:]:
            covered |= {t for t in weights if t in c.terms}
            figures |= numbers_in(c.text)
        pool = [c for c in ranked[keep:] if c.score >= GREEDY_FLOOR * top]
        while pool and len(chosen) < self.max_sentences:
            best, best_gain = None, 0.0
            for c in pool:
                twin = next((o for o in chosen if _overlap(c.terms, o.terms) > 0.6), None)
                if twin is not None or (stay_on_subject and not on_subject(c)):
                    continue
                new_terms = sum(weights[t] for t in weights if t in c.terms and t not in covered) / total
                new_figures = 1.0 if numbers_in(c.text) - figures else 0.0
                meets = len({t for t in unmet if mentions(t, passage_text(c), glossary)})
                same_paragraph = c.passage_index == ranked[0].passage_index
                if not (new_terms or new_figures or meets or same_paragraph):
                    continue
                gain = c.score / top + GAIN_TERMS * new_terms + GAIN_FIGURES * new_figures + 0.3 * meets
                if gain > best_gain:
                    best, best_gain = c, gain
            if best is None or best_gain < self.params.greedy_min_gain:
                break
            pool.remove(best)
            for c in pool:  # corroboration from another document
                if (not best.also and _overlap(c.terms, best.terms) > 0.6 and c.score >= CORROBORATE_RATIO * top
                        and passages[c.passage_index].doc_id != passages[best.passage_index].doc_id):
                    best.also.append(c)
            chosen.append(best)
            covered |= {t for t in weights if t in best.terms}
            figures |= numbers_in(best.text)
            unmet -= {t for t in unmet if mentions(t, passage_text(best), glossary)}
        return chosen

    @staticmethod
    def _context(passage: Passage) -> str:
        """A short lead for embedding a sentence: which paragraph it stands in."""
        heading = passage.heading_path.split(" > ")[-1] if passage.heading_path else ""
        return f"{heading}: " if heading else ""

def _overlap(a: set, b: set) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def display_sentence(text: str) -> str:
    """The sentence as the answer shows it: without its leading paragraph number, and
    without bracketed numbers written in the document, which would pass for our citation
    markers (a planted "[1]" must not look like a citation)."""
    text = re.sub(r"\s*\[\d+(?:\s*,\s*\d+)*\]", "", text)
    return re.sub(r"^(?:C\d+(?:\.\d+)*\.|\d{1,2}(?:\.(?:\d{1,3}|[a-z]))*\.?(?:\(\w{1,3}\))*)\s+", "", text).strip()
