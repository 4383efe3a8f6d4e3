"""A template question's answer as a draft paragraph (issue 13): titled, its list kept as a
list, no line repeated across the draft, nothing about other partners when the question names
one, no cover-block text."""

from assistant.core.answers import Answer, Citation
from assistant.features.drafting.draft import SourceList, paragraph_from_answer, title_of


def citation(n, title, section, quote="quote"):
    return Citation(n, f"doc-{title}", f"{title}.pdf", title, 1, section, None, f"chunk-{n}", quote, 0.5)


def test_titles_are_short_noun_phrases():
    assert title_of("What security threats does Marenta face?") == "Security threats"
    assert title_of("Who is the U.S. Ambassador to Marenta?") == "U.S. Ambassador to Marenta"
    assert title_of("What happens if FMF or Title 10 funding is reduced?") == "If FMF or Title 10 funding is reduced"


def test_a_list_stays_a_list_and_nothing_is_said_twice():
    answer = Answer("q", "The plan names two enduring interests in Marenta [1]:\n- Freedom of navigation [2]\n"
                         "- Access to Port Corvel [3]", False, "extractive",
                    citations=[citation(1, "Marenta Plan", "3"), citation(2, "Marenta Plan", "3.a"),
                               citation(3, "Marenta Plan", "3.b")])
    sources, said = SourceList(), set()
    first = paragraph_from_answer("What are the U.S. interests in Marenta?", answer, sources, said, "Marenta")
    assert first.title == "U.S. interests in Marenta"
    assert first.text.split("\n") == ["The plan names two enduring interests in Marenta [1]:",
                                      "- Freedom of navigation [2]", "- Access to Port Corvel [3]"]
    again = paragraph_from_answer("What are the U.S. interests in Marenta?", answer, sources, said, "Marenta")
    assert again.gap  # every line already said


def test_other_partners_and_cover_blocks_stay_out():
    answer = Answer("q", "Marenta faces trafficking through the strait [1]. Zarvia faces an insurgency on its "
                         "border [2]. Prepared by: ODC staff for the plan review [3].", False, "extractive",
                    citations=[citation(1, "Marenta Plan", "2.a"), citation(2, "Zarvia Plan", "2.a"),
                               citation(3, "COUNTRY SECURITY COOPERATION PLAN: REPUBLIC OF", "COUNTRY SECURITY COOPERATION PLAN: REPUBLIC OF")])
    paragraph = paragraph_from_answer("What security threats does Marenta face?", answer, SourceList(), set(), "Marenta")
    assert paragraph.text == "Marenta faces trafficking through the strait [1]."
