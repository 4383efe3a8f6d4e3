"""What a question asks for: the kinds of answer its parts expect, and whether it asks why."""

from assistant.core.question_analysis import _ASKS_REASON, _GIVES_REASON, asked_kinds, expected_kind, question_parts


def test_a_bare_trailing_ask_adds_its_kind():
    question = "Where were the first two radars delivered, and when?"
    assert question_parts(question) == ["Where were the first two radars delivered"]
    assert expected_kind(question) == "date"
    assert asked_kinds(question) == ["date", "place"]


def test_one_ask_one_kind():
    assert asked_kinds("How much FMF does Zarvia receive in FY2026?") == ["money"]
    assert asked_kinds("Describe the plan's lines of effort.") == []


def test_why_questions_prefer_a_cause():
    assert _ASKS_REASON.search("Why is Marenta's patrol boat availability low?")
    assert _ASKS_REASON.search("Which objective carries the highest risk, and why?")
    assert not _ASKS_REASON.search("Who approved the plan?")
    assert _GIVES_REASON.search("Three causes explain most lost availability.")
    assert _GIVES_REASON.search("The risk is high because the data link is not funded.")
    assert not _GIVES_REASON.search("Availability averaged 58 percent in 2025.")


def test_a_span_of_time_is_asked_as_a_duration():
    # read as any number, "a prescribed period (Table C5.T17.)" held one and answered ahead of
    # the sentence giving "15 Days" (samm); "How long is the border?" is a length
    assert expected_kind("How long does Congress get to review the notification?") == "duration"
    assert expected_kind("How quickly must the Implementing Agency report the impact?") == "duration"
    assert expected_kind("What is the maximum repayment period for direct loans?") == "duration"
    assert expected_kind("How long is the waiting period?") == "duration"
    assert expected_kind("How long is the northern border?") == "number"


def test_a_duration_is_written_many_ways():
    from assistant.core.question_analysis import has_duration
    for text in ("within 30 days", "a 90-day review period", "one year after delivery", "within an hour",
                 "15 Days", "not to exceed 12 years"):
        assert has_duration(text), text
    for text in ("in 2026", "the Section 333 program", "FY2027", "Congress has a prescribed period."):
        assert not has_duration(text), text
