"""The Evaluation page, headless (AppTest): a three-case suite run from the page, its summary,
charts and case table, the table filtered by tag, and a comparison with a saved run."""

import json

import pytest

from helpers import ROOT
from test_eval_cli import small_suite

PAGE = str(ROOT / "assistant" / "frontends" / "ui" / "pages" / "evaluation.py")


@pytest.mark.slow
def test_run_a_suite_from_the_page(tmp_path):
    from streamlit.testing.v1 import AppTest

    suite = small_suite(tmp_path)
    at = AppTest.from_file(PAGE, default_timeout=300).run()
    assert not at.exception and "Choose suites" in at.info[0].value
    at.multiselect[0].set_value([])  # not the bundled suite: the small one only
    at.text_input[0].input(str(suite))
    at.checkbox[0].uncheck()  # no baseline: keeps the test short (the CLI test covers it)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.header] == ["Suite small"]
    metrics = at.dataframe[0].value
    assert metrics.set_index("metric").loc["fact_recall", "product"].startswith("1.000")
    cases = at.dataframe[1].value
    assert sorted(cases["id"]) == ["boats", "fmf", "tanks"]
    assert len(at.get("vega_lite_chart")) == 3

    at.multiselect(key="tags-small").set_value(["numbers"]).run()
    assert list(at.dataframe[1].value["id"]) == ["fmf"]

    # save this run's summary, then compare a new run with it
    summary = at.session_state["evaluation"]["summary"]
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "summary.json").write_text(json.dumps(summary))
    at.text_input[1].input(str(tmp_path / "saved"))
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("metric")
    assert table.loc["fact_recall", "change vs saved"] == "+0.000" and table.loc["fact_recall", "regression"] == ""
