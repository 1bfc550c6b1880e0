"""The Following feed in chromium: a reader hides reposts from the filter bar (no page load),
then scrolls down until the next page loads by itself; the Older link stays a real link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from impasto.accounts.models import User
from impasto.feeds.models import FeedPreferences
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, repost_create
from tests.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def sign_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_filters_inline_then_infinite_scroll(page: Any, live_server: Any) -> None:
    reader = UserFactory.create(handle="reader")
    artist = UserFactory.create(handle="painter", display_name="Painter")
    other = UserFactory.create(handle="other", display_name="Other")
    follow_create(follower=reader, followee=artist)
    for n in range(30):
        post_create(author=artist, body=f"Study number {n}")
    repost_create(user=artist, post_id=post_create(author=other, body="Shared by painter").pk)
    sign_in(page, live_server, reader)

    page.goto("/feed")
    items = page.locator("#feed-list > li.feed-item")
    expect(items).to_have_count(20)
    expect(page.get_by_text("Shared by painter")).to_be_visible()

    # The filter bar: ticking "Hide reposts" re-renders the list in place and saves it.
    page.get_by_label("Hide reposts").check()
    expect(page.get_by_text("Shared by painter")).to_have_count(0)
    expect(page.get_by_text("Study number 29")).to_be_visible()
    assert page.url.endswith("/feed")  # no navigation: htmx swapped the list
    assert FeedPreferences.objects.get(user=reader).hide_reposts

    # The Older link is a real link, and scrolling to it loads the next page by itself.
    older = page.get_by_role("link", name="Older posts")
    expect(older).to_have_attribute("href", re.compile(r"/feed\?before=\d+"))
    screenshot(page, "feeds-following")
    older.scroll_into_view_if_needed()
    expect(items).to_have_count(30)
    expect(page.get_by_text("Study number 0", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Older posts")).to_have_count(0)
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()
    assert not page.js_errors, page.js_errors
