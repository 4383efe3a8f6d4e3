"""The Answer contract (docs/CONTRACTS.md): what `ask --json` prints, the app renders and the
evaluation reads. Fields are only ever added, never renamed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    n: int
    doc_id: str
    source: str
    title: str
    page: int
    section: str
    marking: str | None
    chunk_id: str
    quote: str
    score: float
    doc_type: str = ""
    ocr: bool = False  # the quoted text was recognised by OCR from a scanned page: check the scan

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    mode: str
    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    timings_ms: dict = field(default_factory=dict)
    # added fields
    standalone_question: str | None = None  # the follow-up rewritten with the conversation
    closest: list[Citation] = field(default_factory=list)  # on a refusal: the nearest passages
    marking: str | None = None  # the highest marking among the cited passages
    backend: str = ""  # who answered, for a person: "extractive (...)" or "<model> (<kind> at <endpoint>)"
    # things the cited sources disagree on (docs/CONTRACTS.md): {"about", "values": [{"value", "n"}],
    # "governing_n" (null: the documents do not tell), "why"}; the text says so in one sentence
    conflicts: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        return data
