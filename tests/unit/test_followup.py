from assistant.core.followup import is_follow_up, rewrite, rewrite_by_rule, rewrite_with_model


def test_year_is_swapped_into_the_previous_question():
    assert rewrite_by_rule("and for FY27?", "What is Marenta's FMF for FY2026?") == "What is Marenta's FMF for FY2027?"


def test_name_is_swapped_into_the_previous_question():
    assert rewrite_by_rule("What about Zarvia?", "What is Marenta's FY2026 IMET allocation?") == \
        "What is Zarvia's FY2026 IMET allocation?"


def test_other_follow_ups_are_joined_and_standalone_questions_kept():
    assert rewrite_by_rule("and who approves it?", "What is the 333 proposal deadline?") == \
        "What is the 333 proposal deadline, who approves it?"
    assert not is_follow_up("What does IMO 2.2 require of Zarvia's aviation brigade?", ["earlier question"])
    assert rewrite("What is TCO 1?", []) == "What is TCO 1?"


def test_an_llm_rewrites_when_configured():
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    model = GenericFakeChatModel(messages=iter([AIMessage("What is Zarvia's FMF for FY2027?")]))
    assert rewrite_with_model("and for FY27?", ["What is Zarvia's FMF for FY2026?"], model) == \
        "What is Zarvia's FMF for FY2027?"
