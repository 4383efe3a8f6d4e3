"""What the chat page makes of an Answer: linked markers, unsupported sentences, escaped
document text, page text from chunk offsets, the Markdown download."""

from __future__ import annotations

from assistant.core.answers import Answer, Citation
from assistant.core.claims import FLAG
from assistant.frontends.ui.rendering import (Turn, answer_markdown, conversation_markdown, escape_markdown,
                                    highlighted_passage_html, page_text)


def citation(n: int, **fields) -> Citation:
    values = dict(doc_id="d1", source="plan.pdf", title="Plan", page=4, section="3.b.(2)", marking="CUI",
                  chunk_id="d1-00001", quote="The case costs $36 million.", score=0.8, doc_type="plan")
    values.update(fields)
    return Citation(n=n, **values)


def test_markers_link_to_their_sources_and_dollars_are_not_formulas():
    answer = Answer("q", "The case costs $36 million [1]. It ends in 2027 [2, 3].", False, "extractive")
    text = answer_markdown(answer, turn=2)
    assert "\\$36 million \\[[1](#source-2-1)\\]" in text
    assert "\\[[2](#source-2-2), [3](#source-2-3)\\]" in text


def test_unsupported_sentences_are_marked_in_place():
    sentence = "It was approved by the Senate [2]."
    answer = Answer("q", f"The case costs $36 million [1]. {sentence}{FLAG}", False, "llm:x",
                    unsupported=[sentence])
    text = answer_markdown(answer, turn=0)
    assert ":red-background[It was approved by the Senate \\[[2](#source-0-2)\\].]" in text
    assert text.endswith(":red[**\\[unsupported\\]**]")
    assert text.count("unsupported") == 1  # the flag in the text is replaced, not repeated


def test_a_passage_is_escaped_and_its_quote_highlighted():
    passage = "3.b. <script>alert(1)</script> Intro.\nThe case costs\n$36 million. Then more."
    html = highlighted_passage_html(passage, "The case costs $36 million.")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>The case costs<br>&#36;36 million.</mark>" in html
    # a quote that is not in the passage is still shown, escaped, above it
    assert highlighted_passage_html("Other text.", "<b>quoted</b>").startswith(
        '<div class="pa-passage"><mark>&lt;b&gt;quoted&lt;/b&gt;</mark>')


def test_escape_markdown_neutralises_markup():
    assert escape_markdown("*a* [x](http://e) $5 :red[b]") == "\\*a\\* \\[x\\]\\(http\\://e\\) \\$5 \\:red\\[b\\]"


def test_page_text_takes_each_chunks_part_on_that_page():
    chunks = [
        ("c1", "Page one text. Continues on two.", {"page_start": 1, "page_end": 2, "page_offsets": "15:2"}),
        ("c2", "All on two.", {"page_start": 2, "page_end": 2, "page_offsets": ""}),
        ("c3", "On three.", {"page_start": 3, "page_end": 3, "page_offsets": ""}),
    ]
    assert page_text(chunks, 1) == "Page one text."
    assert page_text(chunks, 2) == "Continues on two.\n\nAll on two."
    assert page_text(chunks, 9) == ""


def test_the_download_holds_questions_answers_markings_and_sources():
    cited = Answer("What does the case cost?", "The case costs $36 million [1].", False, "extractive",
                   citations=[citation(1)], marking="CUI")
    refused = Answer("FY2031?", "The documents do not answer this question.", True, "extractive",
                     closest=[citation(1, page=9, section="", marking=None)])
    text = conversation_markdown([Turn(cited.question, cited, {}), Turn(refused.question, refused, {})])
    assert "## 1. What does the case cost?" in text and "**CUI**" in text
    assert "- [1] Plan (plan.pdf, plan), page 4, paragraph 3.b.(2) [CUI]" in text
    assert "  > The case costs $36 million." in text
    assert "Closest passages:" in text and "- [1] Plan (plan.pdf, plan), page 9\n" in text


def test_a_repeated_unsupported_sentence_is_marked_each_time():
    sentence = "It was approved by the Senate."
    answer = Answer("q", f"{sentence}{FLAG} The case costs $36 million [1]. {sentence}{FLAG}", False, "llm:x",
                    unsupported=[sentence, sentence])
    text = answer_markdown(answer, turn=0)
    assert text.count(":red[**\\[unsupported\\]**]") == 2 and text.count("unsupported") == 2


def test_a_listed_answer_stays_a_list_and_a_disagreement_is_a_visible_note():
    listed = Answer("q", "Two gaps remain [1]:\n- Gap 1, radar coverage [2]\n- Gap 2, airborne surveillance [3]",
                    False, "extractive")
    lines = answer_markdown(listed, 0).split("\n")
    assert lines[1].startswith("- Gap 1, radar coverage") and lines[2].startswith("- Gap 2")
    after = Answer("q", "Two gaps [1]:\n- Gap 1, radar [2]\nThe plan funds both [3].", False, "extractive")
    assert answer_markdown(after, 0).split("\n")[2:] == ["", "The plan funds both \\[[3](#source-0-3)\\]."]
    note = ("The sources disagree on the FY2027 figure: $40 million in the Memorandum [1] against $44 million in "
            "the Plan [2]; the Memorandum governs, because the Plan attributes its figures to it.")
    disagreeing = Answer("q", note, False, "extractive",
                         conflicts=[{"about": "the FY2027 figure", "values": [], "governing_n": 1, "why": ""}])
    shown = answer_markdown(disagreeing, 0)
    assert shown.startswith(":orange-background[⚠️ The sources disagree") and shown.endswith("to it.]")
    assert "\\$40 million" in shown  # still escaped inside the note
