"""Each named signal of the extractive answerer's scoring: it fires on the sentence it is
there for and stays silent on the one that answers, and its weight comes from AnswerParams."""

from dataclasses import fields

import pytest

from assistant.core.answer_params import AnswerParams
from assistant.core.passages import Passage
from assistant.core.signals import SIGNALS, Ask, Candidate, score
from assistant.core.terms import content_terms


def _candidate(text: str) -> Candidate:
    return Candidate(0, 0, len(text), text, set(content_terms(text)))


def _passage(text: str, title: str = "Plan", heading: str = "", source: str = "plan.pdf") -> Passage:
    return Passage("d-00000", text, {"title": title, "heading_path": heading, "source": source, "doc_id": "d"},
                   dense_score=0.5)


def _fires(name: str, ask: Ask, text: str, passage_text: str | None = None, **passage) -> float:
    """The signal's test on the sentence `text`, in a passage of `passage_text` (default: itself)."""
    signal = next(s for s in SIGNALS if s.name == name)
    return signal.test(ask, _candidate(text), _passage(passage_text or text, **passage))


def test_every_signal_has_a_fitted_weight_and_a_reason():
    names = {f.name for f in fields(AnswerParams)}
    for signal in SIGNALS:
        assert signal.name in names and signal.why


def test_kind_missing():
    ask = Ask.whole("How much FMF does Zarvia receive in FY2026?", {})
    assert _fires("kind_missing", ask, "Zarvia receives FMF for border security.") == 1
    assert _fires("kind_missing", ask, "Zarvia receives $18 million in FMF in FY2026.") == 0


def test_second_kind_missing():
    ask = Ask.whole("Where were the radars delivered, and when?", {})
    assert _fires("second_kind_missing", ask, "The radars were delivered in March 2026 to the depot.") == 1
    assert _fires("second_kind_missing", ask, "The radars were delivered to Port Corvel in 2026.") == 0


def test_gives_no_reason():
    ask = Ask.whole("Why is patrol boat availability low?", {})
    assert _fires("gives_no_reason", ask, "Availability averaged 58 percent in 2025.") == 1
    assert _fires("gives_no_reason", ask, "Availability is low because spare parts are short.") == 0


def test_slot_unfilled():
    ask = Ask.whole("How many people took part in the exercise?", {})
    assert _fires("slot_unfilled", ask, "The exercise ran for 12 days in April.") == 1
    assert _fires("slot_unfilled", ask, "About 1,450 personnel took part in the exercise.") == 0


def test_fragment():
    ask = Ask.whole("What does the plan require?", {})
    assert _fires("fragment", ask, "Resources and funding lines.") == 1
    assert _fires("fragment", ask, "The plan requires an assessment of each objective every year.") == 0


def test_off_subject_counts_the_document_s_own_names():
    ask = Ask.whole("Per DoDI 5132.03, who oversees security cooperation workforce development?", {})
    assert "5132.03" in ask.specifics
    text = "The Director, DSCA, oversees the security cooperation workforce development program."
    assert _fires("off_subject", ask, text, source="DoD_Instruction_5132.03.pdf") == 0
    assert _fires("off_subject", ask, text, source="DoD_Directive_5105.65.pdf") > 0


def test_wrong_year():
    ask = Ask.part("what is its FY2027 figure", "What is the FY2026 FMF figure, and what is its FY2027 figure?")
    assert _fires("wrong_year", ask, "The FY2026 figure is $18 million.") == 1
    assert _fires("wrong_year", ask, "The FY2027 figure is $20 million.") == 0


@pytest.mark.parametrize("signal", SIGNALS, ids=lambda s: s.name)
def test_a_signal_s_weight_scales_the_score(signal):
    ask = Ask.whole("How many people took part in the FY2026 exercise, and why?", {"exercise": 1.0},
                    )
    ask.other_kinds, ask.years = ["place"], {"2026"}
    c, passage = _candidate("Tables."), _passage("Tables.")
    if not signal.test(ask, c, passage):
        pytest.skip("this sentence does not fire the signal")
    silent = AnswerParams().with_values({signal.name: 0.0})
    loud = AnswerParams().with_values({signal.name: 0.5})
    assert score(ask, c, 0.8, passage, loud) < score(ask, c, 0.8, passage, silent)


def test_header_block():
    ask = Ask.whole("What kinds of items can a blanket order case cover?", {})
    header = ("DEPARTMENT OF THE AIR FORCE DIRECTOR, DEFENSE LOGISTICS AGENCY SUBJECT: Blanket Order Cases "
              "(DSCA 00-03) Building from the accomplishments of the program")
    assert _fires("header_block", ask, header) == 1
    # a line in capitals among ordinary sentences stands out as a header ...
    capitals = "THIS POLICY PERTAINS ONLY TO VEHICLES PROCURED WITH T-20 FUNDS."
    mixed = (capitals + " Blanket order cases may cover spare parts, support equipment, publications, "
             "training and technical assistance for the systems the purchaser already owns.")
    assert _fires("header_block", ask, capitals, passage_text=mixed) == 1
    # ... but not in a message-format memo written wholly in capitals, where it is the text
    memo = capitals + " SAO REQUESTS FOR EXCEPTION MAY BE SUBMITTED THROUGH THE COMBATANT COMMAND."
    assert _fires("header_block", ask, capitals, passage_text=memo) == 0
    assert _fires("header_block", ask, "Blanket order cases may cover spare parts, support equipment and "
                                       "publications of the EDA program.") == 0
