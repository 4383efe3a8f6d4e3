"""What a question asks, on real planners' phrasings: a 'when' inside a clause, a scenario set
up before the question, figures written another way, a document named by its number."""

from assistant.core.passages import names_from_file
from assistant.core.question_analysis import asking_text, expected_kind, mentions, specific_terms
from assistant.core.terms import figure_values, question_figures


def test_a_when_inside_a_clause_is_not_a_date_question():
    # fixes: "... influence operational success when defense policy is synchronized" was refused as a date question
    assert expected_kind("How does security cooperation influence operational success when defense policy "
                         "is synchronized?") != "date"
    assert expected_kind("When must the notification reach Congress?") == "date"
    assert expected_kind("Who signs the LOR, and when?") == "date"
    assert expected_kind("What is the reason due to which cases close?") != "date"


def test_the_scenario_before_the_question_is_not_asked():
    question = "We expect to kick off a 333 program in FY2024. What event starts the clock?"
    assert asking_text(question) == "What event starts the clock?"
    assert specific_terms(asking_text(question)) == []
    # a one-sentence question, and abbreviations inside it, stay whole
    assert asking_text("Per U.S. Code section 333, what must a notice include?") == \
        "Per U.S. Code section 333, what must a notice include?"
    assert asking_text("List the offices. Include their roles?") == "List the offices. Include their roles?"
    assert asking_text("Who is the U.S. Ambassador to Marenta?") == "Who is the U.S. Ambassador to Marenta?"


def test_figures_written_another_way_are_the_same_figure():
    # fixes: "$750K" in a question against "$750,000" in the passage was "not mentioned"
    assert question_figures("Can we spend $750K on this?") == {"750000"}
    assert "750000" in figure_values("The limit is $0.75 million.")
    assert mentions("750000", "The limit is $750,000 per year.")
    assert mentions("750000", "The limit is $0.75 million per year.")
    assert not mentions("750000", "The limit is $75,000 per year.")
    assert mentions("85", "at least 85 percent of the cases")
    assert question_figures("What happens after 5 m of rope?") == {"5"}  # a bare m is not millions


def test_a_document_s_file_name_gives_its_number_and_short_names():
    names = names_from_file("DoD_Directive_4500.9E.pdf")
    assert "4500.9E" in names and "DoDD 4500.9E" in names
    assert "04-29" in names_from_file("DSCA_04-29.pdf")
    assert "5132.03" in names_from_file("DoD_Instruction_5132.03.pdf")
    assert "2026" not in names_from_file("cscp_marenta_fy2026-2028.pdf").split("; ")[1:]


def test_one_side_of_an_or_is_enough():
    # fixes the Drafting regression: "What happens if FMF or Title 10 funding is reduced?" was
    # refused for every partner ("the passages found do not mention 10"): "Title" and "10" were
    # required of a passage about FMF
    from assistant.core.question_analysis import either_or

    question = "What happens if FMF or Title 10 funding is reduced?"
    specifics = ["FMF", "Title", "10"]
    assert either_or(question, specifics, "FMF is allocated by the Department of State.") == ["FMF"]
    assert either_or(question, specifics, "Title 10 O&M pays for engagements.") == ["Title", "10"]
    # nothing of either side mentioned: everything stays required, and so does an "and"
    assert either_or(question, specifics, "The exercise ran in June.") == specifics
    assert either_or("What do FMF and Title 10 fund?", specifics, "FMF is allocated.") == specifics
