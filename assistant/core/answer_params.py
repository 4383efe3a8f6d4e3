"""The extractive answerer's weights and thresholds, as data.

They are fitted, not hand-set: `scripts/fit_answerer.py` searches them on the union of the
evaluation suites and writes `answer_params.json` beside this module, with, for every suite,
the values fitted without it. `planassist eval` answers each suite with both, so a value that
only helps the suite it was fitted on shows as a gap between the two (leave-one-suite-out).
The defaults below are the hand-tuned values the fit started from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

PARAMS_FILE = Path(__file__).with_name("answer_params.json")


@dataclass(frozen=True)
class AnswerParams:
    # a sentence's base score: closeness in meaning to the question, share of its words,
    # its passage's similarity, and a small cost per place down the fused ranking
    semantic_weight: float = 0.5
    lexical_weight: float = 0.3
    passage_weight: float = 0.2
    rank_penalty: float = 0.01
    # signal weights: a signal that fires multiplies the score by (1 - weight); see signals.py
    kind_missing: float = 0.3
    second_kind_missing: float = 0.3
    gives_no_reason: float = 0.15
    slot_unfilled: float = 0.3
    fragment: float = 0.15
    off_subject: float = 0.15
    wrong_year: float = 0.3
    header_block: float = 0.0  # off until fitted (scripts/fit_answerer.py searches it)
    # thresholds
    min_score: float = 0.3  # below this, the best sentence does not answer
    primary_ratio: float = 0.85  # the sentence holding the kind of thing asked for must score near the best
    multi_part_primary_ratio: float = 0.6
    greedy_min_gain: float = 0.55  # stop adding sentences when the best one left adds less than this
    part_floor: float = 0.6  # a part's own best sentence must score this share of the best sentence

    def with_values(self, values: dict) -> "AnswerParams":
        known = {f.name for f in fields(self)}
        return replace(self, **{k: float(v) for k, v in values.items() if k in known})

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=8)
def _fitted_file(path: str) -> dict:
    file = Path(path)
    return json.loads(file.read_text()) if file.exists() else {}


def fitted(path: Path = PARAMS_FILE) -> AnswerParams:
    """The parameters fitted on every suite: what the product answers with."""
    return AnswerParams().with_values(_fitted_file(str(path)).get("params", {}))


def held_out(suite: str, path: Path = PARAMS_FILE) -> AnswerParams | None:
    """The parameters fitted without `suite`, or None when the fit did not hold that suite out.
    A subset of a suite ("dsca-ci" of "dsca") shares its held-out parameters: they were fitted
    without either."""
    loso = _fitted_file(str(path)).get("leave_one_out", {})
    values = loso.get(suite)
    if values is None:
        values = next((v for name, v in loso.items() if name.startswith(suite + "-") or suite.startswith(name + "-")),
                      None)
    return None if values is None else AnswerParams().with_values(values)


def fitted_on(path: Path = PARAMS_FILE) -> list[str]:
    return list(_fitted_file(str(path)).get("fitted_on", []))
