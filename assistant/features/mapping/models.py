"""The Mapping contract (docs/CONTRACTS.md) and the inputs it is built from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    type: str = ""
    partner: str = ""
    authority: str = ""
    fiscal_year: str = ""
    description: str = ""

    @property
    def text(self) -> str:
        """What the activity is about, for the embedding model."""
        return ". ".join(p for p in (self.title, self.type, self.description, self.authority) if p)

    @property
    def purpose(self) -> str:
        """What the activity is for, without its kind and authority ("IMET", "10 U.S.C. 333"):
        those words are shared by activities of every theme and pull the wording toward none."""
        return ". ".join(p for p in (self.title, self.description) if p)


@dataclass(frozen=True)
class Objective:
    id: str
    statement: str
    level: str = ""
    parent: str = ""


@dataclass
class Link:
    objective_id: str
    score: float
    contribution: str  # direct | enabling | relationship
    confidence: str  # high | medium | low
    rationale: str
    needs_review: bool
    evidence: list = field(default_factory=list)  # Citation objects
    # added fields
    semantic: float = 0.0  # cosine similarity of activity and objective text
    corpus: float = 0.0  # strength of the documents' own statement of the link (0..1)


@dataclass
class ActivityLinks:
    activity_id: str
    title: str
    links: list[Link] = field(default_factory=list)
    # added fields
    suggested: list = field(default_factory=list)  # (objective id, score) of the next-best unlinked objectives
    explanation: object = None  # Citation of a document sentence saying it supports no objective


@dataclass
class Mapping:
    activities: list[ActivityLinks]
    gaps: dict
    thresholds: dict
    # added fields
    objectives: list[Objective] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows skipped, with the reason
    gap_notes: dict = field(default_factory=dict)  # activity or objective id -> Citation explaining its gap

    def as_dict(self) -> dict:
        data = asdict(self)
        return data

    def link_pairs(self) -> set[tuple[str, str]]:
        return {(a.activity_id, l.objective_id) for a in self.activities for l in a.links}
