from ingest.sentences import split_sentences


def test_abbreviations_and_paragraph_numbers_do_not_end_sentences():
    text = ("C5.1.1. General. The Foreign Military Sales (FMS) process begins with a request. "
            "It follows 10 U.S.C. 333 and Gen. Castellanos approves it. The U.S. Government pays $42 million.")
    assert split_sentences(text) == [
        "C5.1.1. General. The Foreign Military Sales (FMS) process begins with a request.",
        "It follows 10 U.S.C. 333 and Gen. Castellanos approves it.",
        "The U.S. Government pays $42 million.",
    ]


def test_initials_and_plan_numbers():
    text = "3.b.(2) General Miriam T. Castellanos signed the plan. It took effect on 1 October 2025."
    assert split_sentences(text) == ["3.b.(2) General Miriam T. Castellanos signed the plan.",
                                     "It took effect on 1 October 2025."]


def test_decimal_figures_stay_inside_sentences():
    assert split_sentences("Readiness was 52.5 percent in FY2025. The target is 75 percent.") == [
        "Readiness was 52.5 percent in FY2025.", "The target is 75 percent."]
