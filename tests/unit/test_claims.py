from assistant.core.claims import FLAG, check_answer, check_sentence

PASSAGES = {1: "FMS case MR-P-SAC provides six coastal surveillance radars for $36 million. "
               "The LOA was signed on 3 December 2024.",
            2: "Colonel Renata Huang leads ODC Marenta in Port Corvel."}


def test_supported_sentences_pass():
    text = "Case MR-P-SAC provides six coastal surveillance radars for $36 million [1]. Colonel Renata Huang leads ODC Marenta [2]."
    flagged, checks = check_answer(text, PASSAGES)
    assert all(c.supported for c in checks) and flagged == text


def test_a_planted_invented_figure_is_flagged():
    text = "Case MR-P-SAC costs $36 million [1]. Its sustainment adds $52 million [1]."
    flagged, checks = check_answer(text, PASSAGES)
    assert [c.supported for c in checks] == [True, False]
    assert checks[1].reason == "figure 52 is not in the cited passage"
    assert flagged.endswith("$52 million [1]." + FLAG)
    assert "figure 2027" in check_sentence("The radars cost $36 million in FY2027 [1].", PASSAGES).reason


def test_missing_marker_unknown_marker_and_unknown_name():
    assert check_sentence("The radars cost $36 million.", PASSAGES).reason == "no citation marker"
    assert "not a retrieved passage" in check_sentence("The radars cost $36 million [7].", PASSAGES).reason
    assert "Castellanos" in check_sentence("General Castellanos leads ODC Marenta [2].", PASSAGES).reason


def test_claim_about_something_else_is_unsupported():
    check = check_sentence("The exercise trained forty divers in underwater demolition [2].", PASSAGES)
    assert not check.supported


def test_a_marker_after_a_closing_bracket_or_quote_cites_the_sentence_before_it():
    # The splitter ends a sentence at '.)', '.]' or '."', leaving the marker on its own: the
    # quoted sentence is cited, not flagged.
    text = ('(The LOA was signed on 3 December 2024.) [1]. The case is "MR-P-SAC." [1]. '
            'Colonel Renata Huang leads ODC Marenta (Port Corvel). . . [2].')
    flagged, checks = check_answer(text, PASSAGES)
    assert [c.markers for c in checks] == [[1], [1], [2]]
    assert all(c.supported for c in checks) and FLAG not in flagged
