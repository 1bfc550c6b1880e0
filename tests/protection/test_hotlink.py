"""The hot-link rule for image requests, and the decorators the variant view will wear."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client, RequestFactory, override_settings

from impasto.accounts.models import User
from impasto.protection.hotlink import hotlink_verdict
from tests.protection import user_agents as agents
from tests.protection.conftest import FakeClock

# The stand-in variant views live in tests/protection/urls.py.
pytestmark = pytest.mark.urls("tests.protection.urls")

SITE = "http://127.0.0.1:8000"  # settings.SITE_URL in the tests
HOST = "127.0.0.1:8000"
PARTNER = "https://partner.example"


def verdict(headers: dict[str, str], *, user_agent: str = agents.FIREFOX) -> bool:
    request = RequestFactory().get(
        "/media/variants/work.webp",
        headers={"user-agent": user_agent, **headers},
        HTTP_HOST=HOST,
    )
    return hotlink_verdict(request).allowed


IMG = {"sec-fetch-dest": "image", "sec-fetch-mode": "no-cors"}


@override_settings(HOTLINK_ALLOWED_ORIGINS=[PARTNER], ALLOWED_HOSTS=["127.0.0.1"])
@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        # Browsers with Fetch Metadata.
        ({**IMG, "sec-fetch-site": "same-origin", "referer": f"{SITE}/@mira"}, True),
        ({**IMG, "sec-fetch-site": "same-site", "referer": "https://www.impasto.example/"}, True),
        ({"sec-fetch-site": "none", "sec-fetch-dest": "document"}, True),  # typed or bookmarked
        (
            {
                "sec-fetch-site": "cross-site",
                "sec-fetch-dest": "document",
                "sec-fetch-mode": "navigate",
                "referer": "https://forum.example/",
            },
            True,  # someone followed a link to the image
        ),
        (
            {**IMG, "sec-fetch-site": "cross-site", "referer": "https://thief.example/gallery"},
            False,
        ),
        ({**IMG, "sec-fetch-site": "cross-site"}, False),  # referrer hidden: cannot be vouched for
        (
            {
                "sec-fetch-site": "cross-site",
                "sec-fetch-dest": "empty",
                "referer": "https://x.example/",
            },
            False,
        ),
        ({**IMG, "sec-fetch-site": "cross-site", "referer": f"{PARTNER}/embed/1"}, True),
        ({**IMG, "sec-fetch-site": "cross-site", "referer": f"{SITE}/"}, True),  # media on a CDN
        (
            {
                **IMG,
                "sec-fetch-site": "cross-site",
                "referer": "https://partner.example.evil.test/",
            },
            False,
        ),
        (
            {**IMG, "sec-fetch-site": "cross-site", "referer": "http://partner.example/"},
            False,
        ),  # scheme differs
        # Clients without Fetch Metadata.
        ({}, True),  # no Referer: a direct request
        ({"referer": f"{SITE}/@mira"}, True),
        ({"referer": f"http://{HOST}/@mira"}, True),
        ({"referer": "https://thief.example/gallery"}, False),
        ({"referer": f"{PARTNER}/page"}, True),
        ({"referer": "not a url"}, False),
    ],
)
def test_hotlink_matrix(headers: dict[str, str], allowed: bool) -> None:
    assert verdict(headers) is allowed


@pytest.mark.parametrize(
    "user_agent",
    [
        agents.FACEBOOKEXTERNALHIT,
        agents.IMESSAGE_PREVIEW,
        agents.SLACKBOT,
        agents.DISCORDBOT,
        agents.MASTODON,
        agents.FEEDLY,
        agents.NEWSBLUR,
    ],
)
def test_link_previews_and_feed_readers_may_fetch_from_anywhere(user_agent: str) -> None:
    foreign = {**IMG, "sec-fetch-site": "cross-site", "referer": "https://elsewhere.example/"}
    assert verdict(foreign, user_agent=user_agent)
    assert verdict({"referer": "https://elsewhere.example/"}, user_agent=user_agent)


def test_search_engine_image_crawlers_follow_the_ordinary_rule() -> None:
    assert verdict({}, user_agent=agents.GOOGLEBOT_IMAGE)  # no Referer: fine
    assert not verdict({"referer": "https://thief.example/"}, user_agent=agents.GOOGLEBOT_IMAGE)


# --- the decorators on a stand-in for the variant view ---------------------------------------


@pytest.mark.django_db
def test_the_protected_view_serves_the_image(client: Client, fake_clock: FakeClock) -> None:
    response = client.get("/test-media/work.png", headers={"user-agent": agents.FIREFOX})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_a_hotlinked_image_gets_403_and_costs_no_token(
    client: Client, fake_clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    hotlink = {**IMG, "sec-fetch-site": "cross-site", "referer": "https://thief.example/"}
    with caplog.at_level(logging.INFO, logger="impasto.protection"):
        for _ in range(5):
            response = client.get("/test-media/work.png", headers=hotlink)
            assert response.status_code == 403
            assert b"\x89PNG" not in response.content
            assert "Referer" in response["Vary"]
    assert "thief.example" in caplog.text
    # The view allows 3 in a burst: all 3 are still there for the artist's own page.
    own = {**IMG, "sec-fetch-site": "same-origin"}
    statuses = [client.get("/test-media/work.png", headers=own).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_past_the_limit_images_get_429_with_retry_after(
    client: Client, fake_clock: FakeClock, limiter_cache: str
) -> None:
    image = {**IMG, "sec-fetch-site": "same-origin", "accept": "image/avif,image/webp,*/*"}
    for _ in range(3):
        assert client.get("/test-media/work.png", headers=image).status_code == 200
    refused = client.get("/test-media/work.png", headers=image)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"  # capacity 3, refill 0.5/s
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert refused["Cache-Control"] == "no-store"
    assert refused["X-Robots-Tag"] == "noai, noimageai"
    fake_clock.advance(2)
    assert client.get("/test-media/work.png", headers=image).status_code == 200


@pytest.mark.django_db
def test_a_person_gets_the_friendly_429_page(client: Client, fake_clock: FakeClock) -> None:
    page = {"accept": "text/html,application/xhtml+xml", "sec-fetch-dest": "document"}
    assert client.get("/test-page/", headers=page).status_code == 200
    refused = client.get("/test-page/", headers=page)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    html = refused.content.decode()
    assert "Slow down a little" in html
    assert "10 seconds" in html
    assert 'name="robots" content="noai, noimageai"' in html


@pytest.mark.django_db
def test_the_api_gets_a_json_429(client: Client, fake_clock: FakeClock) -> None:
    for _ in range(2):
        assert client.get("/api/test-thing").status_code == 200
    refused = client.get("/api/test-thing")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused["Retry-After"] == "1"
    body = json.loads(refused.content)
    assert body["retry_after"] == 1
    assert "Too many requests" in body["detail"]


@pytest.mark.django_db
def test_signed_in_members_have_their_own_bucket(
    client: Client, user: User, fake_clock: FakeClock
) -> None:
    member = Client()
    member.force_login(user)
    image = {**IMG, "sec-fetch-site": "same-origin"}
    for _ in range(3):
        assert client.get("/test-media/work.png", headers=image).status_code == 200
    assert client.get("/test-media/work.png", headers=image).status_code == 429
    # Same address (the test client's 127.0.0.1), but signed in: counted by account.
    assert member.get("/test-media/work.png", headers=image).status_code == 200
