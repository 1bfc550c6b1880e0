"""The policy page and the friendly 429 page, in a real browser, at phone and desktop widths."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [("phone", 390, 844), ("desktop", 1280, 900)]


@pytest.fixture(autouse=True)
def _no_favicon_requests(page) -> None:
    # Chromium asks for /favicon.ico on plain-text pages (robots.txt); the site has none there.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))


@pytest.mark.parametrize(("name", "width", "height"), SIZES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_policy_page_reads_well(page, name: str, width: int, height: int, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    response = page.goto("/ai-policy/")
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noai, noimageai"
    assert page.locator("h1").inner_text() == "AI and data-mining policy"
    assert page.locator("h2").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    robots = page.locator('meta[name="robots"]').get_attribute("content")
    assert robots == "noai, noimageai"
    assert page.locator('meta[name="tdm-reservation"]').get_attribute("content") == "1"
    screenshot(page, f"ai-policy-{name}-{scheme}")
    assert page.js_errors == [], page.js_errors
    page.get_by_role("link", name="robots.txt").click()
    assert "User-agent: GPTBot" in page.locator("body").inner_text()


@pytest.mark.parametrize(("name", "width", "height"), SIZES)
def test_the_rate_limited_page_says_when_to_come_back(
    page, live_server, name: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    with override_settings(ROOT_URLCONF="tests.protection.urls"):
        assert page.goto("/test-page/").status == 200
        response = page.goto("/test-page/")
        assert response.status == 429
        assert response.headers["retry-after"] == "10"
        assert page.locator("h1").inner_text() == "Slow down a little"
        assert "10 seconds" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"rate-limited-{name}")
    # The browser reports the 429 itself as a failed load; nothing else may fail.
    assert [e for e in page.js_errors if "status of 429" not in e] == []
