"""The Mapping page in a real browser (issue 15): a planner uploads an activity-database
export and campaign objectives the documents never name (the unseen gold lists), and the
matrix shows every row labelled, the orphans and uncovered objectives highlighted, and a
cell's evidence on click. Keeps a screenshot at /tmp/mapping-page.png."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app_helpers import keep_screenshot
from helpers import ROOT

SCREENSHOT_COPY = Path(os.environ.get("PLANASSIST_MAPPING_SCREENSHOT", "/tmp/mapping-page.png"))
GOLD = ROOT / "evals" / "gold"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_mapping_page_with_an_unseen_list_labels_every_row_and_highlights_the_gaps(chromium, running_app, tmp_path):
    from playwright.sync_api import expect

    from assistant.features.mapping.inputs import read_activities

    activities, _ = read_activities(GOLD / "mapping_unseen_activities.csv")
    page = chromium.new_page(viewport={"width": 1600, "height": 1400})
    page.goto(f"{running_app}/mapping")
    expect(page.get_by_text("Upload my lists")).to_be_visible(timeout=120_000)
    page.get_by_text("Upload my lists").click()
    uploads = page.locator('input[type="file"]')
    expect(uploads).to_have_count(2, timeout=30_000)
    uploads.nth(0).set_input_files(str(GOLD / "mapping_unseen_activities.csv"))
    uploads.nth(1).set_input_files(str(GOLD / "mapping_unseen_objectives.csv"))
    for name in ("mapping_unseen_activities.csv", "mapping_unseen_objectives.csv"):
        expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(2000)  # let the upload's rerun finish, or it swallows the click
    page.get_by_role("button", name="Map activities").click()
    expect(page.get_by_text("Activities supporting no objective")).to_be_visible(timeout=600_000)
    chart = page.locator(".vega-embed").first
    expect(chart).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)  # the chart draws its axes after the frame appears
    labels = chart.locator("text").all_text_contents()
    for activity in activities:  # every row labelled with its id and title, none skipped
        assert any(t.startswith(f"{activity.id} · ") for t in labels), (activity.id, labels[:20])
    # the orphans' labels are drawn in red and listed with their titles
    red = chart.locator('text[fill="#b00020"]').all_text_contents()
    assert any(t.startswith("SC27-044 · ") for t in red), red
    assert any(t.startswith("C3.c · ") for t in red), red
    expect(page.get_by_text("Military band concert series").first).to_be_visible()
    chart.scroll_into_view_if_needed()
    keep_screenshot(page, tmp_path / "mapping-page.png", SCREENSHOT_COPY, full_page=True, min_bytes=20_000)
