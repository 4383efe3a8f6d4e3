"""What a planner sees of composed answers (issue 13), in a real browser over the bundled
corpus: a list the documents announce arrives whole as bullets, a figure the sources disagree
on carries a visible note, and the Drafting page shows titled, bulleted sections in a
rendered preview with no cover-block text. Screenshots are kept for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app_helpers import keep_screenshot

SHOTS = Path(os.environ.get("PLANASSIST_SCREENSHOT_DIR", "/tmp"))

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _ask(page, url, question):
    from playwright.sync_api import expect

    page.goto(url)
    box = page.get_by_placeholder("Ask a question about your documents")
    expect(box).to_be_visible(timeout=120_000)  # the first load builds the model and store
    box.fill(question)
    box.press("Enter")


def test_a_listed_answer_and_a_conflict_note_in_the_chat(chromium, running_app, tmp_path):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _ask(page, running_app, "What are Marenta's biggest capability gaps?")
    # the six gaps the assessment announces, each a bullet of a list
    last = page.locator("li", has_text="Gap 6, communications and data sharing").first
    expect(last).to_be_visible(timeout=60_000)
    for n in range(1, 6):
        expect(page.locator("li", has_text=f"Gap {n},").first).to_be_visible()
    page.wait_for_timeout(500)
    keep_screenshot(page, tmp_path / "answer-list.png", SHOTS / "answer-list.png")

    page = chromium.new_page(viewport={"width": 1500, "height": 1100})
    _ask(page, running_app, "What is Marenta's FY2027 FMF planning figure?")
    note = page.get_by_text("The sources disagree on Marenta's FY2027 FMF planning figure", exact=False).first
    expect(note).to_be_visible(timeout=60_000)
    expect(note).to_contain_text("$40 million")
    expect(note).to_contain_text("$44 million")
    expect(note).to_contain_text("governs")
    page.wait_for_timeout(500)
    keep_screenshot(page, tmp_path / "answer-conflict.png", SHOTS / "answer-conflict.png")


def test_the_drafting_page_previews_titled_bulleted_sections(chromium, running_app, tmp_path):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(f"{running_app}/drafting")
    partner = page.get_by_label("Partner")
    expect(partner).to_be_visible(timeout=120_000)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Situation and strategic context").click()
    partner.fill("Marenta")
    page.get_by_role("button", name="Generate draft").click()
    # the rendered preview: a section title, a list, no cover-block text
    expect(page.get_by_role("heading", name="Security threats", level=3)).to_be_visible(timeout=300_000)
    expect(page.locator('[data-testid="stMain"] li').first).to_be_visible()
    text = page.locator('[data-testid="stMain"]').inner_text()
    for cover in ("Prepared by", "MEMORANDUM FOR", "COUNTRY SECURITY COOPERATION PLAN:", "\\newpage"):
        assert cover not in text, cover
    page.wait_for_timeout(500)
    keep_screenshot(page, tmp_path / "drafting-page.png", SHOTS / "drafting-page.png")
