"""Both answering backends behind one protocol, and the checks every answer gets whichever
answered (plumbing: LangChain's GenericFakeChatModel stands in for a model)."""

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.core.answerers import Answerer, Asked, ChatModelBackend, ExtractiveBackend
from assistant.core.checks import POST_ANSWER_CHECKS, CheckContext, check_claims, run_checks
from assistant.core.passages import Passage

ZARVIA = Passage("c1", "Zarvia's FY2026 Foreign Military Financing allocation is $18 million.",
                 {"title": "Zarvia plan", "section": "6.a", "doc_id": "d1", "source": "zarvia.md", "page_start": 8})


def model(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies]))


def test_both_backends_are_answerers_and_say_who_they_are():
    extractive = ExtractiveBackend(embedder=None)
    chat = ChatModelBackend(model(), "openai", "http://127.0.0.1:8080/v1")
    assert isinstance(extractive, Answerer) and isinstance(chat, Answerer)
    assert (extractive.mode, chat.mode) == ("extractive", "llm:openai")
    assert chat.label == "openai (OpenAI-compatible endpoint at http://127.0.0.1:8080/v1)"


def test_the_chosen_backend_rewrites_follow_ups():
    history = ["What is Zarvia's FMF for FY2026?"]
    assert ExtractiveBackend(None).rewrite("and for FY27?", history) == "What is Zarvia's FMF for FY2027?"
    chat = ChatModelBackend(model("What is Zarvia's FY2027 Foreign Military Financing?"), "openai")
    assert chat.rewrite("and for FY27?", history) == "What is Zarvia's FY2027 Foreign Military Financing?"


def test_a_model_answer_is_cited_and_checked_like_any_other():
    chat = ChatModelBackend(model("Zarvia's FY2026 Foreign Military Financing allocation is $18 million [1]. "
                                  "It bought 40 submarines [1]."),
                            "openai")
    asked = Asked("What is Zarvia's FY2026 FMF?", "What is Zarvia's FY2026 FMF?", [ZARVIA])
    answer = chat.answer(asked)
    assert not answer.refused and [c.chunk_id for c in answer.citations] == ["c1"]
    assert answer.backend == chat.label
    timings = {}
    run_checks(answer, CheckContext([ZARVIA], embedder=None), timings)
    assert answer.unsupported == ["It bought 40 submarines [1]."] and "check" in timings
    assert check_claims in POST_ANSWER_CHECKS


def test_streaming_gives_the_pieces_then_the_answer_and_no_passages_is_a_refusal():
    asked = Asked("q", "q", [ZARVIA])
    items = list(ChatModelBackend(model("It is $18 million [1]."), "openai").stream(asked))
    assert all(isinstance(i, str) for i in items[:-1]) and "".join(items[:-1]) == "It is $18 million [1]."
    assert items[-1].answer == "It is $18 million [1]."
    refused = ChatModelBackend(model(), "ollama").answer(Asked("q", "q", []))
    assert refused.refused and "no answer in the passages" in refused.answer


def test_checks_skip_refusals():
    refused = ChatModelBackend(model(), "openai").answer(Asked("q", "q", []))
    timings = {}
    run_checks(refused, CheckContext([], None), timings)
    assert refused.unsupported == [] and "check" not in timings
