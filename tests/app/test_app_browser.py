"""The app in a real browser: `streamlit run app.py` on 127.0.0.1 over the bundled corpus,
Debian's Chromium driven by Python playwright (whose own browser download is not possible
here). scripts/setup.sh --test installs Chromium when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app_helpers import keep_screenshot

SCREENSHOT_COPY = Path(os.environ.get("PLANASSIST_SCREENSHOT", "/tmp/app-screenshot.png"))

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_a_question_in_the_browser_shows_the_answer_and_its_sources(chromium, running_app, tmp_path):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(running_app)
    box = page.get_by_placeholder("Ask a question about your documents")
    expect(box).to_be_visible(timeout=120_000)  # the first load builds the model and store
    box.fill("What is Zarvia's FY2026 FMF?")
    box.press("Enter")
    answer = page.get_by_text("Foreign Military Financing allocation is $18 million", exact=False).first
    expect(answer).to_be_visible(timeout=60_000)
    source = page.get_by_text("page 8 · paragraph 6.a", exact=False).first
    expect(source).to_be_visible(timeout=30_000)
    expect(page.locator(".pa-passage mark").first).to_contain_text("$18 million")
    expect(page.locator(".pa-marking").first).to_have_text("UNCLASSIFIED")
    # a [n] marker in the answer brings its source card into view, in the same tab
    # (the answer's last marker: its card is the furthest down the pane; which paragraph it is
    # follows the composition, so the test reads the number from the page)
    markers = page.locator('a[href^="#source-0-"]')
    last = markers.nth(markers.count() - 1)
    target = last.get_attribute("href")[1:]
    last.click()
    page.wait_for_timeout(500)
    top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert 0 <= top <= 1100, (target, top)
    assert len(page.context.pages) == 1
    page.locator('a[href="#source-0-1"]').first.click()
    page.wait_for_timeout(500)  # let the layout settle before the picture
    keep_screenshot(page, tmp_path / "chat-answer.png", SCREENSHOT_COPY)
    # after a second answer, a marker of the first still opens the first answer's source
    box.fill("Who leads ODC Marenta?")
    box.press("Enter")
    expect(page.locator('a[href="#source-1-1"]').first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("For answer 1: What is Zarvia", exact=False).first).to_be_attached(timeout=30_000)
    page.locator('a[href="#source-0-1"]').first.click()
    page.wait_for_timeout(500)
    top = page.evaluate("document.getElementById('source-0-1').getBoundingClientRect().top")
    assert 0 <= top <= 1100, top  # scrolled into the window, below the second answer's cards


DOCUMENTS_SCREENSHOT = Path(os.environ.get("PLANASSIST_DOCUMENTS_SCREENSHOT", "/tmp/documents-page.png"))


def test_the_documents_page_fits_a_1280_pixel_screen_with_a_library_loaded(chromium, running_library_app, tmp_path):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{running_library_app}/documents")
    expect(page.get_by_text("In the store (321)")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Showing 1–25 of 321 (page 1 of 13)")).to_be_visible(timeout=30_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=60_000)  # the grid's code loads after the page's text
    page.wait_for_timeout(1000)
    # No horizontal scrolling: neither the page nor the table is wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    box = grid.bounding_box()
    assert box and box["x"] + box["width"] <= 1280
    # The grid scrolls inside itself (glide-data-grid's scroller) when its columns are wider.
    scroll = page.evaluate("""() => { const s = document.querySelector('[data-testid="stDataFrame"] .dvn-scroller');
                                      return s ? [s.scrollWidth, s.clientWidth] : null; }""")
    assert scroll is not None and scroll[0] <= scroll[1] + 1, scroll
    search = page.get_by_role("textbox", name="Search")
    search.fill("harbor")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing 1–1 of 1 (page 1 of 1)")).to_be_visible(timeout=30_000)
    search.fill("")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Showing 1–25 of 321 (page 1 of 13)")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)  # let the grid draw before the picture
    keep_screenshot(page, tmp_path / "documents-page.png", DOCUMENTS_SCREENSHOT)
