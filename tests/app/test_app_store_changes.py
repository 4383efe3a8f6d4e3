"""The app and the CLI on one embedded store (issue 14 item 3): while the app serves a store,
`planassist ingest` in another process writes to it; the app's next question sees the new
document, with no error and no restart."""

from __future__ import annotations

import re

import pytest

from app_helpers import app_test, no_exceptions
from helpers import PLAN_TEXT, planassist, write

pytestmark = pytest.mark.slow


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    return at


def answers(at) -> list[str]:
    """The answers on the page, without the turn number in their source links."""
    return [re.sub(r"#source-\d+-", "#source-", m.value) for m in at.markdown if "(#source-" in m.value]


def test_a_cli_ingest_beside_the_running_app_is_answered_from_without_a_restart(corpus_store, tmp_path):
    at = ask(app_test(), "What is Zarvia's FY2026 FMF?")
    before = answers(at)
    assert before and "18 million" in before[0]

    # another process writes the same embedded store: a new document, and a removed one
    doc = write(tmp_path / "more" / "testland-plan.txt", PLAN_TEXT)
    result = planassist("ingest", str(doc))
    assert result.returncode == 0 and result.stdout.startswith("added 1"), result.stderr

    ask(at, "How many patrol boats does the Republic of Testland operate?")
    assert "four patrol boats" in answers(at)[-1]
    ask(at, "What is Zarvia's FY2026 FMF?")  # the documents it had keep answering
    assert answers(at)[-1] == before[0]

    def answered_from_testland():  # the conversation so far stays on the page
        return sum("four patrol boats" in answer for answer in answers(at))

    shown = answered_from_testland()
    result = planassist("docs", "remove", "testland-plan.txt")
    assert result.returncode == 0, result.stderr
    ask(at, "How many patrol boats does the Republic of Testland operate?")
    assert answered_from_testland() == shown  # not answered from the removed document again
