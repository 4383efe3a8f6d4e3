"""The checks that give a chat model's answer what the composition gives an extractive one
(issue 13): the note that cited sources disagree, and the rest of an announced list. Plumbing:
passages built by hand and a model reply from LangChain's GenericFakeChatModel; the checks run
as the engine runs them (run_checks, POST_ANSWER_CHECKS)."""

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.core.answerers import Asked, ChatModelBackend, ExtractiveBackend
from assistant.core.checks import POST_ANSWER_CHECKS, CheckContext, check_conflicts, check_lists, run_checks
from assistant.core.passages import Passage
from assistant.frontends.ui.rendering import conflict_spans
from helpers import RowsReader

QUESTION = "What is Marenta's FY2027 FMF planning figure?"


def passage(chunk_id, text, section, title, source):
    return Passage(chunk_id, text, {"section": section, "title": title, "source": source, "doc_id": source,
                                    "page_start": 1, "page_end": 1})


def row(chunk_id, text, section, doc_id, title="Assessment"):
    return (chunk_id, text, {"section": section, "doc_id": doc_id, "title": title, "source": doc_id,
                             "page_start": 1, "page_end": 1})


MEMO = passage("m", "4.a. FMF. FY2027 FMF planning figures are $40 million for Marenta and $18 million for Zarvia.",
               "4.a", "J5 Memorandum: FY2027 Program Build", "memo.txt")
PLAN = passage("p", "7.a.(2) The FY2027 FMF planning figure is $44 million, and the office assumes the same for "
                    "FY2028.", "7.a.(2)", "Country Plan: Republic of Marenta", "plan.pdf")
# the plan's own paragraph 7 says where its figures come from: the memo governs
PLAN_SOURCE = row("p7", "7. FY2027 figures are the J5 planning figures issued on 3 November 2025.", "7", "plan.pdf",
                  "Country Plan: Republic of Marenta")


def model_answer(reply: str, question: str, passages: list[Passage], reader=None, composed=False):
    """What the engine does with a model's reply: the backend's Answer, then the checks."""
    chat = ChatModelBackend(GenericFakeChatModel(messages=iter([AIMessage(reply)])), "openai")
    answer = chat.answer(Asked(question, question, passages, reader=reader))
    run_checks(answer, CheckContext(passages, None, reader=reader, composed=composed), {})
    return answer


def test_a_model_answer_whose_sources_disagree_gets_the_note_and_the_conflict():
    # the model gives the plan's figure and passes over the memo it was also given
    answer = model_answer("Marenta's FY2027 FMF planning figure is $44 million [2].", QUESTION, [MEMO, PLAN],
                          RowsReader([PLAN_SOURCE]))
    assert answer.answer == (
        "Marenta's FY2027 FMF planning figure is $44 million [2]. The sources disagree on Marenta's FY2027 FMF "
        "planning figure: $40 million in the J5 Memorandum [3] against $44 million in the Country Plan [2]; the J5 "
        "Memorandum governs, because the Country Plan attributes its figures to it.")
    assert answer.conflicts == [{"about": "Marenta's FY2027 FMF planning figure",
                                 "values": [{"value": "$40 million", "n": [3]}, {"value": "$44 million", "n": [2]}],
                                 "governing_n": 3, "why": "the J5 Memorandum governs, because the Country Plan "
                                                          "attributes its figures to it"}]
    # the memo's sentence is cited under the next free number, quoted exactly; the plan's is reused
    assert [(c.n, c.chunk_id) for c in answer.citations] == [(2, "p"), (3, "m")]
    assert answer.citations[1].quote == MEMO.text
    # the app finds the note in a model's answer as in an extractive one
    start, end, _ = conflict_spans(answer)[0]
    assert answer.answer[start:end].startswith("The sources disagree on Marenta's FY2027 FMF planning figure")
    assert answer.answer[start:end].endswith("attributes its figures to it.")


def test_without_the_documents_word_on_what_governs_the_note_says_it_cannot_tell():
    answer = model_answer("The planning figure is $40 million [1].", QUESTION, [MEMO, PLAN], RowsReader([]))
    assert answer.conflicts[0]["governing_n"] is None
    assert answer.answer.endswith("the documents do not say which governs.")
    assert [v["value"] for v in answer.conflicts[0]["values"]] == ["$40 million", "$44 million"]


def test_no_note_when_the_sources_agree_the_answer_gives_no_figure_or_the_answer_was_composed():
    same = passage("p", "The FY2027 FMF planning figure for Marenta is $40 million.", "7.a", "Country Plan", "plan.pdf")
    agreed = model_answer("The figure is $40 million [1].", QUESTION, [MEMO, same])
    assert agreed.conflicts == [] and "disagree" not in agreed.answer
    no_figure = model_answer("The J5 Memorandum issues the planning figures [1].", QUESTION, [MEMO, PLAN])
    assert no_figure.conflicts == [] and "disagree" not in no_figure.answer
    # the extractive answerer composes its text (the note is already there when due): the
    # checks do not add it a second time
    assert ExtractiveBackend(None).composes and not ChatModelBackend(None, "openai").composes
    composed = model_answer("The planning figure is $40 million [1].", QUESTION, [MEMO, PLAN], composed=True)
    assert composed.conflicts == [] and composed.answer == "The planning figure is $40 million [1]."
    assert check_conflicts in POST_ANSWER_CHECKS and check_lists in POST_ANSWER_CHECKS


GAPS = [row("c8", "8. The team identified three capability gaps that assistance should address.", "8", "pca"),
        row("c8a", "8.a. Gap 1, sensor coverage: no radar covers the eastern approaches to the port.", "8.a", "pca"),
        row("c8b", "8.b. Gap 2, airborne surveillance: flight hours are half of what daily coverage needs.", "8.b",
            "pca"),
        row("c8c", "8.c. Gap 3, evidence handling: four cases were dismissed by the courts in 2025.", "8.c", "pca")]


def test_the_items_of_an_announced_list_the_model_left_out_are_added_as_cited_bullets():
    passages = [Passage(*GAPS[0]), Passage(*GAPS[2])]
    reply = ("The team identified three capability gaps that assistance should address [1]:\n"
             "- Airborne surveillance, as flight hours are half of what is needed [2]")
    answer = model_answer(reply, "What capability gaps did the assessment identify?", passages, RowsReader(GAPS))
    lines = answer.answer.split("\n")
    assert lines[:2] == reply.split("\n")
    assert lines[2:] == ["The other two of the three capability gaps [1]:", "- Gap 1, sensor coverage [3]",
                         "- Gap 3, evidence handling [4]"]
    # each added bullet cites its own paragraph, read from the store, and quotes it exactly
    assert [(c.n, c.section) for c in answer.citations] == [(1, "8"), (2, "8.b"), (3, "8.a"), (4, "8.c")]
    assert answer.citations[2].quote == GAPS[1][1]


def test_a_model_answer_that_gives_none_of_the_items_gets_the_whole_list():
    passages = [Passage(*GAPS[0])]
    answer = model_answer("The assessment found capability gaps that assistance should address [1].",
                          "What capability gaps did the assessment identify?", passages, RowsReader(GAPS))
    assert answer.answer.split("\n") == [
        "The assessment found capability gaps that assistance should address [1].",
        "The team identified three capability gaps that assistance should address [1]:",
        "- Gap 1, sensor coverage [2]", "- Gap 2, airborne surveillance [3]", "- Gap 3, evidence handling [4]"]


def test_a_complete_list_is_left_alone_and_items_that_cannot_be_found_are_counted():
    passages = [Passage(*GAPS[0])]
    whole = ("The team identified three capability gaps [1]:\n- sensor coverage of the port\n"
             "- airborne surveillance hours\n- evidence handling in court")
    answer = model_answer(whole, "What capability gaps did the assessment identify?", passages, RowsReader(GAPS))
    assert answer.answer.replace(" [unsupported]", "") == whole  # uncited bullets are flagged, nothing added
    # the store does not hold the items: the answer says how many of those announced it gives
    announced = [row("c5", "5. The office tracks six capability gaps in its annual assessment of the force.", "5",
                     "plan")]
    reply = "The office tracks capability gaps [1]:\n- radar coverage [1]\n- patrol boats [1]"
    answer = model_answer(reply, "Which capability gaps does the office track?", [Passage(*announced[0])],
                          RowsReader(announced))
    assert answer.answer.replace(" [unsupported]", "") == (
        reply + "\nThis answer gives two of the six capability gaps that the documents announce [1].")


def test_a_list_the_question_does_not_ask_for_and_the_answer_does_not_quote_is_left_alone():
    text = ("6. The FY2026 FMF allocation is $18 million. The office tracks six capability gaps in its annual "
            "assessment of the force.")
    plan = passage("z", text, "6", "Zarvia plan", "zarvia.md")
    reply = "Zarvia's FY2026 FMF allocation is $18 million [1]."
    answer = model_answer(reply, "What is Zarvia's FY2026 FMF allocation?", [plan], RowsReader([]))
    assert answer.answer == reply and len(answer.citations) == 1


def test_a_number_and_a_plural_that_are_no_list_are_left_alone():
    text = ("5. The office tracks six capability gaps in its annual assessment of the force. Together the LOE 2 "
            "activities account for most of the funds. Notification is due 15 days before the program starts.")
    rows = [row("c5", text, "5", "plan"), row("c5a", "5.a. A08, border program.", "5.a", "plan"),
            row("c5b", "5.b. A09, aviation program.", "5.b", "plan")]
    plan = Passage(*rows[0])
    # a count question asks how many, not for the list
    reply = "The office tracks six capability gaps [1]:\n- radar coverage [1]\n- patrol boats [1]"
    answer = model_answer(reply, "How many capability gaps does the office track?", [plan], RowsReader(rows[:1]))
    assert answer.answer.replace(" [unsupported]", "") == reply
    # "LOE 2 activities" names a line of effort, it announces no list of two (the store has two
    # subparagraphs that would pass for its items)
    reply = "The LOE 2 activities account for most of the funds [1]."
    answer = model_answer(reply, "Which activities account for most of the funds?", [plan], RowsReader(rows))
    assert answer.answer == reply
    # the quoted sentence gives a number of days: nothing to list
    reply = "Notification is due 15 days before the program starts [1]."
    answer = model_answer(reply, "When is notification due?", [plan], RowsReader(rows))
    assert answer.answer == reply
    # a list under a lead that names other things is not a short list of the gaps
    reply = "No capability gap is closed [1]. Four practices worked well [1]:\n- drills [1]\n- planning [1]"
    answer = model_answer(reply, "Which capability gaps does the office track?", [plan], RowsReader(rows[:1]))
    assert "This answer gives" not in answer.answer
