"""The refusal's wording is decided against the closest passages it shows."""

from assistant.core.answerers import Asked
from assistant.core.passages import Passage
from assistant.core.refusals import refusal, refusal_reason


def passage(chunk_id: str, text: str, title: str = "Country Plan") -> Passage:
    return Passage(chunk_id, text, {"title": title, "section": "2.f", "doc_id": "d1", "source": "plan.md",
                                    "page_start": 1})


class Backend:
    mode = "extractive"
    label = "extractive (test)"


def test_a_refusal_never_says_a_term_is_not_mentioned_when_the_closest_passage_shows_it():
    # the failure: "the passages found do not mention Ambassador" beside a passage that names the Ambassador
    shown = [passage("c1", "The U.S. Ambassador chairs the country team and approves the plan.")]
    asked = Asked("Who is the U.S. Ambassador to Marenta?", "Who is the U.S. Ambassador to Marenta?", shown)
    answer = refusal(asked, Backend(), "the passages found do not mention Ambassador", ("Ambassador",))
    assert answer.refused and "do not mention Ambassador" not in answer.answer
    assert "mention Ambassador but do not say what was asked" in answer.answer
    assert answer.closest[0].quote.startswith("The U.S. Ambassador") and answer.backend == "extractive (test)"


def test_a_term_no_shown_passage_has_is_still_said_to_be_missing():
    shown = [passage("c1", "Zarvia's FY2026 FMF allocation is $18 million.")]
    reason = refusal_reason("the passages found do not mention Estrovia", ["Estrovia"], shown)
    assert reason == "the passages found do not mention Estrovia"
    # a title counts as shown: the card carries it
    titled = [passage("c1", "The allocation is $18 million.", title="Estrovia Engagement Plan")]
    assert "do not mention" not in refusal_reason("the passages found do not mention Estrovia", ["Estrovia"], titled)


def test_missing_and_shown_terms_are_told_apart():
    shown = [passage("c1", "Zarvia's FY2026 FMF allocation is $18 million.")]
    reason = refusal_reason("the passages found do not mention Zarvia, 2031", ["Zarvia", "2031"], shown)
    assert reason == ("the passages found do not mention 2031, and those that mention Zarvia do not say "
                      "what was asked about it")


def test_a_reason_about_something_else_is_kept():
    assert refusal_reason("nothing in the documents matches the question", (), []) == \
        "nothing in the documents matches the question"
