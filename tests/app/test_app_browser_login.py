"""Signing in through a trusted reverse-proxy header, in a real browser on the running app:
the header a proxy such as oauth2-proxy sets (X-Forwarded-Email) picks the user's profile;
an unknown user and a request without the header are refused."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def trusted_header(tmp_path, monkeypatch):
    from assistant.access.users_file import save_user

    path = tmp_path / "users.yaml"
    save_user(path, "dana", role="reader", max_marking="UNCLASSIFIED", email="dana@example.org")
    monkeypatch.setenv("PLANASSIST_USER_FILE", str(path))
    monkeypatch.setenv("PLANASSIST_TRUSTED_USER_HEADER", "X-Forwarded-Email")


def test_a_trusted_proxy_header_chooses_the_profile(chromium, trusted_header, running_app):
    from playwright.sync_api import expect

    def page_with(headers):
        context = chromium.new_context(extra_http_headers=headers)
        page = context.new_page()
        page.goto(running_app)
        return page

    page = page_with({"X-Forwarded-Email": "Dana@Example.org"})
    expect(page.get_by_text("Signed in as dana (reader; up to UNCLASSIFIED)")).to_be_visible(timeout=120_000)
    expect(page.get_by_placeholder("Ask a question about your documents")).to_be_visible(timeout=60_000)
    page = page_with({"X-Forwarded-Email": "eve@example.org"})
    expect(page.get_by_text("eve@example.org has no profile")).to_be_visible(timeout=60_000)
    expect(page.get_by_placeholder("Ask a question about your documents")).to_have_count(0)
    page = page_with({})
    expect(page.get_by_text("no user was passed in the X-Forwarded-Email header")).to_be_visible(timeout=60_000)
    expect(page.get_by_placeholder("Ask a question about your documents")).to_have_count(0)
