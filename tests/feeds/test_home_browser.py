"""A member opens the site on a phone: ``/`` is their Following feed."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create
from tests.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_member_sees_their_feed_at_home_on_a_phone(page, live_server):
    reader = UserFactory.create(display_name="Reader")
    artist = UserFactory.create(display_name="Artist")
    stranger = UserFactory.create()
    follow_create(follower=reader, followee=artist)
    post_create(author=artist, body="A new ink study, the harbour at dawn")
    post_create(author=stranger, body="Not followed, not shown")
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server, reader)
    page.goto("/")
    expect(page.get_by_text("A new ink study, the harbour at dawn")).to_be_visible()
    assert page.get_by_text("Not followed, not shown").count() == 0
    # New (has posted nothing): the first steps, compact, above the feed.
    card = page.locator("section.home-steps")
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="Find artists to follow")).to_be_visible()
    # Home is the current tab of the phone's bottom bar; Following the current feed.
    expect(page.locator('nav.tab-bar a[href="/"]')).to_have_attribute("aria-current", "page")
    expect(page.locator("nav.tabs a[aria-current=page]")).to_have_text("Following")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "feeds-home-phone")
    assert page.js_errors == []
