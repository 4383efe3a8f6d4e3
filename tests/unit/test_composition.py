"""Composing the extractive answer (issue 13): the lead first, announced lists whole as cited
bullets, no debris, a leaning sentence with its subject, disagreeing sources flagged. Plain
passages and candidates stand in for retrieval: this is the layout of the answer, not its
ranking."""

from assistant.core.answers import Citation
from assistant.core.composition import compose, display_text, item_text, usable, with_marker
from assistant.core.extractive import Extract
from assistant.core.passages import Passage
from assistant.core.signals import Candidate
from assistant.core.terms import content_terms
from ingest.sentences import split_spans
from helpers import RowsReader


def passage(chunk_id, text, section, title="Country Plan", source="plan.pdf", doc_id=None):
    return Passage(chunk_id, text, {"section": section, "title": title, "source": source,
                                    "doc_id": doc_id or source, "page_start": 1, "page_end": 1})


def candidate(passages, index, sentence_start, score):
    text = passages[index].text
    start, end = next((s, e) for s, e in split_spans(text) if s >= sentence_start)
    return Candidate(index, start, end, text[start:end].strip(), set(content_terms(text[start:end])), score)


def cite(n, p, start, end, score):
    return Citation(n, p.doc_id, p.source, p.title, 1, p.section, None, p.chunk_id, p.text[start:end].strip(), score)


def test_debris_never_reaches_the_text():
    assert display_text("4.a. FMF. FY2027 FMF planning figures are $40 million for Marenta.") == \
        "FY2027 FMF planning figures are $40 million for Marenta."
    assert display_text("d. The period of duty (Reference (a)). e. The Governor may ask.") == \
        "The period of duty (Reference (a)). The Governor may ask."
    assert display_text('It applies under the following conditions: a. "Special" charges are collected.') == \
        'It applies under the following conditions: "Special" charges are collected.'
    assert display_text("The following criteria must be met: . a. The costs must exceed $50,000,000.") == \
        "The following criteria must be met: The costs must exceed $50,000,000."
    assert display_text("General Miriam T. Castellanos signed the plan.") == "General Miriam T. Castellanos signed the plan."
    assert not usable("Prepared by: CAPT David Bennett, DSCA")
    assert not usable("| A27 | MPA FMF sustainment | FY2027 |")
    assert not usable("the end of the page \\newpage and more words")
    assert item_text("8.a. Gap 1, sensor coverage of the eastern approaches: no working radar covers the passage "
                     "where most tracks were.") == "Gap 1, sensor coverage of the eastern approaches"
    assert item_text("First, freedom of navigation through the strait.") == "Freedom of navigation through the strait."


def test_every_sentence_of_a_piece_carries_its_marker():
    # The claim check flags a sentence without a marker: a piece that reads as several
    # sentences once its enumerators are gone has each cited.
    assert with_marker("The case costs $36 million.", [1]) == "The case costs $36 million [1]."
    assert with_marker("The following criteria must be met: The costs must exceed $50,000,000. "
                       "The items must be MDE.", [2, 3]) == (
        "The following criteria must be met: The costs must exceed $50,000,000 [2, 3]. The items must be MDE [2, 3].")


def test_an_announced_list_comes_whole_as_cited_bullets():
    rows = [("c8", "8. The team identified three capability gaps that assistance should address.",
             {"section": "8", "doc_id": "pca", "title": "Assessment", "source": "pca.docx"}),
            ("c8a", "8.a. Gap 1, sensor coverage: no radar covers the eastern approaches to the port.",
             {"section": "8.a", "doc_id": "pca", "title": "Assessment", "source": "pca.docx"}),
            ("c8b", "8.b. Gap 2, airborne surveillance: flight hours are half of what daily coverage needs.",
             {"section": "8.b", "doc_id": "pca", "title": "Assessment", "source": "pca.docx"}),
            ("c8c", "8.c. Gap 3, evidence handling: four cases were dismissed by the courts in 2025.",
             {"section": "8.c", "doc_id": "pca", "title": "Assessment", "source": "pca.docx"})]
    passages = [Passage(*rows[0]), Passage(*rows[2])]
    lead = candidate(passages, 0, 0, 0.9)
    other = candidate(passages, 1, 0, 0.5)
    extract = Extract([lead, other], False, lead=lead, ranked=[lead, other])
    composed = compose("What capability gaps did the assessment identify?", extract, passages, cite, RowsReader(rows))
    lines = composed.text.split("\n")
    assert lines[0] == "The team identified three capability gaps that assistance should address [1]:"
    assert lines[1:] == ["- Gap 1, sensor coverage [2]", "- Gap 2, airborne surveillance [3]",
                         "- Gap 3, evidence handling [4]"]
    # each bullet cites its own paragraph, and the card quotes the document exactly
    assert [c.section for c in composed.citations] == ["8", "8.a", "8.b", "8.c"]
    assert composed.citations[1].quote == rows[1][1]


def test_a_list_numbered_in_the_running_text_comes_as_bullets():
    # extraction lost the list's line breaks: the splitter ends each sentence at the next number
    text = ("Assistance is provided primarily under three public laws: 1. The Foreign Assistance Act of 1961, "
            "as amended 2. The Arms Export Control Act of 1976, as amended 3. Annual appropriations acts. "
            "Congress reviews the requests each year.")
    passages = [passage("p1", text, "C1.2.1")]
    lead = candidate(passages, 0, 0, 0.9)
    extract = Extract([lead], False, lead=lead, ranked=[lead])
    lines = compose("Which public laws provide the authorizations?", extract, passages, cite).text.split("\n")
    assert lines == ["Assistance is provided primarily under three public laws [1]:",
                     "- The Foreign Assistance Act of 1961, as amended [2]",
                     "- The Arms Export Control Act of 1976, as amended [3]", "- Annual appropriations acts [4]"]


def test_a_list_announced_at_the_end_of_a_chunk_continues_in_the_next_chunk():
    # a memo without numbered paragraphs, cut right after "... is required:"
    meta = {"section": "", "doc_id": "memo", "title": "Memo", "source": "memo.pdf"}
    rows = [("memo-00002", "The data sheet is due with the LOA. Types of LOA documents for which the sheet is required:",
             meta),
            ("memo-00003", "Basic LOAs: all Amendments: all (whether increase or decrease in scope) Modifications: "
                           "cost increases. Your assistance is appreciated.", meta)]
    passages = [Passage(*rows[0])]
    text = rows[0][1]
    lead = candidate(passages, 0, text.index("Types"), 0.9)
    extract = Extract([lead], False, lead=lead, ranked=[lead])
    composed = compose("Which LOA documents need the sheet?", extract, passages, cite, RowsReader(rows))
    assert composed.text.split("\n") == [
        "Types of LOA documents for which the sheet is required [1]:",
        "- Basic LOAs: all Amendments: all (whether increase or decrease in scope) Modifications: cost increases [2]"]
    assert composed.citations[1].chunk_id == "memo-00003"
    # a figure with a plural noun at the end of a chunk ("due within 15 days.") announces nothing
    rows[0] = ("memo-00002", "The data sheet is due with the LOA. Reports are due within 15 days.", meta)
    passages = [Passage(*rows[0])]
    lead = candidate(passages, 0, rows[0][1].index("Reports"), 0.9)
    composed = compose("When are reports due?", Extract([lead], False, lead=lead, ranked=[lead]), passages, cite,
                       RowsReader(rows))
    assert composed.text == "Reports are due within 15 days [1]."


def test_a_leaning_sentence_comes_after_its_subject_or_not_at_all():
    text = ("The radar program covers six sites on the coast. It is funded with $36 million of FMF. "
            "This includes two sites that are late.")
    other = "Prepared by: ODC staff. These were delivered late by the contractor in May."
    passages = [passage("p1", text, "6.b"), passage("p2", other, "9", source="other.pdf")]
    lead = candidate(passages, 0, text.index("It is"), 0.9)
    extra = candidate(passages, 0, text.index("This includes"), 0.85)
    orphan = candidate(passages, 1, other.index("These"), 0.8)
    extract = Extract([lead, extra, orphan], False, lead=lead, ranked=[lead, extra, orphan])
    composed = compose("How is the radar program funded?", extract, passages, cite)
    # the lead brings the sentence that names its subject; the addition's subject is then
    # stated; the sentence whose subject is a cover block is left out
    assert composed.text == ("The radar program covers six sites on the coast [1]. "
                             "It is funded with $36 million of FMF [2]. This includes two sites that are late [3].")


def test_sources_that_disagree_are_said_to_disagree_with_what_governs():
    memo = passage("m", "4.a. FMF. FY2027 FMF planning figures are $40 million for Marenta and $18 million for Zarvia.",
                   "4.a", title="J5 Memorandum: FY2027 Program Build", source="memo.txt")
    plan = passage("p", "7.a.(2) The FY2027 FMF planning figure is $44 million, and the office assumes the same for FY2028.",
                   "7.a.(2)", title="Country Plan: Republic of Marenta", source="plan.pdf")
    parent = ("p7", "7. FY2027 figures are the J5 planning figures issued on 3 November 2025.",
              {"section": "7", "doc_id": "plan.pdf", "title": "Country Plan: Republic of Marenta", "source": "plan.pdf"})
    passages = [memo, plan]
    a, b = candidate(passages, 0, 0, 0.9), candidate(passages, 1, 0, 0.8)
    extract = Extract([a, b], False, lead=a, ranked=[a, b])
    composed = compose("What is Marenta's FY2027 FMF planning figure?", extract, passages, cite, RowsReader([parent]))
    assert composed.text == ("The sources disagree on Marenta's FY2027 FMF planning figure: $40 million in the J5 "
                             "Memorandum [1] against $44 million in the Country Plan [2]; the J5 Memorandum governs, "
                             "because the Country Plan attributes its figures to it.")
    assert composed.conflicts == [{"about": "Marenta's FY2027 FMF planning figure",
                                   "values": [{"value": "$40 million", "n": [1]}, {"value": "$44 million", "n": [2]}],
                                   "governing_n": 1, "why": "the J5 Memorandum governs, because the Country Plan "
                                                            "attributes its figures to it"}]
    # without the plan's word on where its figures come from, the answer cannot tell
    composed = compose("What is Marenta's FY2027 FMF planning figure?", extract, passages, cite, RowsReader([]))
    assert composed.conflicts[0]["governing_n"] is None
    assert composed.text.endswith("the documents do not say which governs.")


def test_the_same_figure_in_two_documents_or_another_year_is_no_conflict():
    memo = passage("m", "FY2027 FMF planning figures are $40 million for Marenta and $18 million for Zarvia.",
                   "4.a", title="J5 Memorandum", source="memo.txt")
    plan = passage("p", "The FY2026 FMF allocation for Marenta is $42 million, most of it for the radar case.",
                   "7.a", title="Country Plan: Republic of Marenta", source="plan.pdf")
    passages = [memo, plan]
    a, b = candidate(passages, 0, 0, 0.9), candidate(passages, 1, 0, 0.85)
    extract = Extract([a, b], False, lead=a, ranked=[a, b])
    composed = compose("What is Marenta's FY2027 FMF planning figure?", extract, passages, cite)
    assert composed.conflicts == [] and "disagree" not in composed.text
