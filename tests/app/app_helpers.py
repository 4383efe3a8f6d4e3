"""Driving the app in tests: AppTest of the whole app (navigation included)."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import ROOT

APP = str(ROOT / "app.py")
TIMEOUT = 120  # AppTest's own default is 3 s: far too short for a first model load


def app_test(page: str | None = None):
    """An AppTest of the whole app (navigation included), run once, on `page`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(f"assistant/frontends/ui/pages/{page}.py").run()
    return at


def no_exceptions(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def plain(markdown_text: str) -> str:
    """Text as the reader sees it: Markdown's backslash escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown_text)


# The generated library of tests/app/conftest.py's library_template.
LIBRARY_TYPES = ("policy", "guidance", "doctrine", "law")
LIBRARY_MARKINGS = ("UNCLASSIFIED", "CUI", None)
LIBRARY_TOPICS = ("port security", "fuel stocks", "training seats", "radar upkeep", "medical supplies")
LIBRARY_MEMOS = 320
PILOT_TITLE = "Harbor Pilot Licensing Rules"


def library_memo(i: int) -> tuple[str, str, str | None, int]:
    """(title, type, marking, pages) of generated memo i."""
    return (f"Memo {i:03d} on {LIBRARY_TOPICS[i % len(LIBRARY_TOPICS)]}", LIBRARY_TYPES[i % len(LIBRARY_TYPES)],
            LIBRARY_MARKINGS[i % len(LIBRARY_MARKINGS)], 1 + i % 7)


def keep_screenshot(page, shot: Path, copy_to: Path, full_page: bool = False, min_bytes: int = 10_000) -> None:
    """A picture of the page in the test's folder, and a copy where a person can look at it."""
    page.screenshot(path=str(shot), full_page=full_page)
    assert shot.stat().st_size > min_bytes
    try:
        shutil.copy(shot, copy_to)
    except OSError:
        pass
