"""The social pages in chromium: a fan follows an artist, likes, reposts and replies; she sees
the grouped notifications with the unread badge; they exchange messages (the request first).
Screenshots at phone and desktop widths, light and dark, land in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from impasto.accounts.models import User
from impasto.social.models import Conversation, Notification, Post, PostLike
from tests.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """Give the browser a real session of ``user`` (a fresh context per person)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def fits(page: Any, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def shoot(page: Any, name: str) -> None:
    """Phone and desktop, light and dark; the page must fit and pass axe in each."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            fits(page, size["width"])
            screenshot(page, f"social-{name}-{label}-{scheme}")
        results = Axe().run(page, options=AXE_RULES)
        assert results.violations_count == 0, results.generate_report()
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)


def test_demo_content_reads_well_on_the_social_pages(page, live_server) -> None:
    call_command("demo", verbosity=0)
    mira = User.objects.get(handle="mira")
    sign_in(page, live_server, mira)
    first = Post.objects.filter(author=mira, reply_to__isnull=True, repost_of__isnull=True).first()
    assert first is not None
    pages = [
        ("/@mira", "profile"),
        (f"/@mira/posts/{first.pk}", "thread"),
        ("/notifications", "notifications"),
        ("/messages", "inbox"),
        (f"/messages/{Conversation.objects.get().pk}", "conversation"),
        ("/tags/creaturedesign", "content-warning"),
        ("/@kwame3d", "link-preview"),
        ("/@ines_pixel", "reposted-and-edited"),
        ("/tags/ink", "tag"),
        ("/@mira/followers", "followers"),
        ("/settings/social", "settings"),
    ]
    for path, name in pages:
        page.goto(path)
        shoot(page, f"demo-{name}")
    assert page.js_errors == []


def test_a_fan_follows_likes_reposts_replies_and_writes_to_an_artist(page, live_server) -> None:
    mira = UserFactory.create(handle="mira", display_name="Mira Okafor")
    noor = UserFactory.create(handle="noor", display_name="Noor Haddad")
    sign_in(page, live_server, mira)
    page.goto("/posts/new")
    page.get_by_label("Post", exact=True).fill(
        "Morning sketch: a **heron** in the reeds. #ink\n\nMore soon, @noor."
    )
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/@mira/posts/*")
    post = Post.objects.get(author=mira)
    assert page.get_by_role("link", name="#ink").is_visible()

    # Noor follows, likes, reposts, replies.
    sign_in(page, live_server, noor)
    page.goto("/@mira/posts")  # Portfolio is the default tab; the post is on Posts
    page.get_by_role("button", name="Follow Mira Okafor").click()
    page.get_by_role("button", name="Following Unfollow Mira Okafor").wait_for()
    assert page.locator("#profile-stats").get_by_text("1 follower").is_visible()
    page.get_by_text("Morning sketch").first.wait_for()
    page.locator(f"#like-{post.pk}").click()
    page.locator(f'#like-{post.pk}[aria-pressed="true"]').wait_for()
    page.locator(f"#repost-{post.pk}").click()
    page.locator(f'#repost-{post.pk}[aria-pressed="true"]').wait_for()
    assert PostLike.objects.filter(user=noor, post=post).exists()
    page.goto(f"/@mira/posts/{post.pk}")
    page.get_by_label("Your reply").fill("The reeds are perfect. Which ink?")
    page.get_by_role("button", name="Reply", exact=True).click()
    page.locator("#replies").get_by_text("The reeds are perfect.").wait_for()
    assert page.url.endswith(f"/@mira/posts/{post.pk}")  # no page load: htmx appended it
    shoot(page, "thread")

    # Noor writes to Mira, who does not follow her: it lands in Mira's requests.
    page.goto("/@mira")
    page.get_by_role("link", name="Message", exact=True).click()
    page.get_by_label("Message", exact=True).fill("Hello! Would you take a commission?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/messages/*")

    # Mira: the badge, the grouped notifications, the request.
    sign_in(page, live_server, mira)
    page.goto("/")
    badge = page.locator(".header-link", has_text="Notifications")
    assert badge.locator(".header-link__badge").inner_text() == "4"
    shoot(page, "header-badge")
    badge.click()
    page.wait_for_url("**/notifications")
    assert page.get_by_text("Noor Haddad followed you").is_visible()
    assert page.get_by_text("Noor Haddad liked your post").is_visible()
    assert page.get_by_text("Noor Haddad reposted your post").is_visible()
    assert page.get_by_text("Noor Haddad replied to your post").is_visible()
    shoot(page, "notifications")
    assert not Notification.objects.filter(recipient=mira, read_at__isnull=True).exists()
    page.goto("/")
    assert (
        page.locator(".header-link", has_text="Notifications")
        .locator(".header-link__badge")
        .count()
        == 0
    )

    page.locator(".header-link", has_text="Messages").click()
    page.get_by_role("link", name="Requests").click()
    shoot(page, "message-requests")
    page.get_by_role("link", name="Noor Haddad").click()
    page.get_by_role("button", name="Accept").click()
    page.locator("#chat-request").wait_for(state="detached")
    page.get_by_label("Message", exact=True).fill("Yes, gladly. Tell me more.")
    page.get_by_role("button", name="Send").click()
    page.locator("#chat").get_by_text("Yes, gladly.").wait_for()
    shoot(page, "conversation")
    conversation = Conversation.objects.get()
    assert conversation.messages.count() == 2
    assert page.js_errors == []
