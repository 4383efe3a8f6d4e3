"""What the documents themselves say about an activity and an objective: plan annexes and
country plans name which activities support which objectives ("A04, patrol boat
sustainment ..., supports IMO 1.2 and TCO 1"). For each activity we retrieve passages with
the same hybrid search as `ask`, split them into clauses, and keep every clause that names
the activity (by id, or by most of its title) together with an objective id. A clause that
names several activities ("Eight activities support TCO 2: A08, A09, ...") counts for each
in proportion; a clause that denies a link ("supports no objective") counts for nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.citing import citation_for
from assistant.core.passages import Passage
from assistant.core.terms import content_terms
from ingest.sentences import split_spans

EVIDENCE_K = 16  # passages retrieved per activity
TITLE_SHARE = 0.75  # share of a title's content words that names the activity without its id
NEGATION = re.compile(r"\b(?:supports? no|support(?:s|ing)? none|no (?:activity|objective|link)|not (?:tied|linked|aligned|"
                      r"connected|related)|neither|does not support|do not support|without an objective)\b", re.I)
TITLE_WEIGHT = 0.5  # a clause naming the activity by its title rather than its id
FOLLOWING_WEIGHT = 0.5  # a later sentence of a paragraph whose opening names one activity (or objective)
CLAUSE = re.compile(r";\s+")


@dataclass
class Clue:
    objective_id: str
    strength: float  # 1 / number of activities the clause names
    passage: Passage
    start: int
    end: int
    text: str


@dataclass
class ActivityEvidence:
    activity_id: str
    clues: list[Clue] = field(default_factory=list)
    denials: list[Clue] = field(default_factory=list)  # clauses saying it supports no objective

    def explanation(self):
        """The citation of the first clause that says why the activity supports nothing
        ("... returned because neither is tied to a TCO or IMO"), or None."""
        if not self.denials:
            return None
        clue = self.denials[0]
        return citation_for(1, clue.passage, clue.start, clue.end, 1.0)

    def strength(self, objective_id: str) -> float:
        """Noisy-or of the distinct clauses that tie the activity to the objective."""
        miss, seen = 1.0, set()
        for clue in self.clues:
            if clue.objective_id == objective_id and clue.text not in seen:
                seen.add(clue.text)
                miss *= 1 - clue.strength
        return 1 - miss

    def citations(self, objective_id: str, limit: int = 3) -> list:
        best = sorted((c for c in self.clues if c.objective_id == objective_id), key=lambda c: -c.strength)
        out, seen = [], set()
        for clue in best:
            if clue.text in seen:
                continue
            seen.add(clue.text)
            out.append(citation_for(len(out) + 1, clue.passage, clue.start, clue.end, clue.strength))
            if len(out) == limit:
                break
        return out

    def wording(self, objective_id: str) -> str:
        return " ".join(c.text for c in self.clues if c.objective_id == objective_id)


def id_pattern(ids) -> re.Pattern | None:
    ids = sorted({i for i in ids if i}, key=len, reverse=True)
    if not ids:
        return None
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w]|\.\d)")


class EvidenceFinder:
    def __init__(self, documents, activities, objectives):
        self.documents = documents  # a MappingDocuments
        self.activity_ids = id_pattern(a.id for a in activities)
        self.objective_ids = id_pattern(o.id for o in objectives)
        self.titles = {a.id: set(content_terms(a.title)) for a in activities}

    def _activities_named(self, clause: str) -> tuple[set[str], set[str]]:
        """Activities a clause names by id, and those it names only by most of their title."""
        by_id = set(self.activity_ids.findall(clause)) if self.activity_ids else set()
        terms = set(content_terms(clause))
        by_title = {activity_id for activity_id, title in self.titles.items()
                    if activity_id not in by_id and len(title) >= 3 and len(title & terms) / len(title) >= TITLE_SHARE}
        return by_id, by_title

    def find(self, activity) -> ActivityEvidence:
        evidence = ActivityEvidence(activity.id)
        if self.objective_ids is None:
            return evidence
        for passage in self.documents.passages(f"{activity.id} {activity.title}", EVIDENCE_K):
            self._read_passage(activity.id, passage, evidence)
        return evidence

    def _read_passage(self, activity_id: str, passage: Passage, evidence: ActivityEvidence) -> None:
        subject_activity = subject_objective = None  # what the paragraph's opening sentence is about
        for position, (start, end) in enumerate(split_spans(passage.text)):
            sentence = passage.text[start:end]
            for clause in CLAUSE.split(sentence):
                if NEGATION.search(clause):
                    if activity_id in set().union(*self._activities_named(sentence)):
                        evidence.denials.append(Clue("", 0.0, passage, start, end, sentence.strip()))
                    continue
                objectives = list(dict.fromkeys(self.objective_ids.findall(clause)))
                by_id, by_title = self._activities_named(clause)
                named = by_id | by_title
                if position == 0:
                    subject_activity = next(iter(named)) if len(named) == 1 else None
                    subject_objective = objectives[0] if len(objectives) == 1 and not named else None
                if objectives and activity_id in named:
                    # naming by title is looser than by id: the clause may list several efforts
                    share = 1 / len(named) if activity_id in by_id else TITLE_WEIGHT / (len(named) * len(objectives))
                elif objectives and not named and activity_id == subject_activity:
                    share = FOLLOWING_WEIGHT  # "A21, SPP exchanges. ... Supports TCO 4 and IMO 4.1."
                elif not objectives and activity_id in named and subject_objective:
                    objectives = [subject_objective]  # "IMO 4.1: ... Activities A19, A20 and A21 support this objective."
                    share = FOLLOWING_WEIGHT / len(named)
                else:
                    continue
                for objective_id in objectives:
                    evidence.clues.append(Clue(objective_id, share, passage, start, end, clause.strip()))
