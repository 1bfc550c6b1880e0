"""Scrapers against a live server on loopback, each bounded in time and requests.

Three clients walk the artists' galleries and pull every image they find:

- an anonymous harvester that waits out each Retry-After (a patient scraper);
- a client announcing itself as GPTBot, handed the image URLs the harvester found;
- a signed-in member pulling everything as fast as it can, ignoring Retry-After.

The rate limit is scaled down (a burst of 20, then 1 a second) so the test shows it biting
within seconds; the shape is the same at the defaults. Set IMPASTO_SCRAPE_REPORT to a file
to have the hauls written there (bench/scrape.py does, and prints the table in
docs/protection.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from impasto.accounts.models import User
from tests.factories import UserFactory
from tests.protection.media import asset_with_variants
from tests.protection.scraper import GPTBOT, Haul, Scraper

pytestmark = [
    pytest.mark.urls("tests.protection.urls_gallery"),
    pytest.mark.usefixtures("media_storage"),
]

ARTISTS = 6
WORKS_EACH = 4
CAPACITY = 20
REFILL = 1.0
DEADLINE_S = 10.0
MAX_REQUESTS = 300


def ceiling(haul: Haul) -> float:
    """The most a token bucket lets through in the time the scraper ran (one of slack)."""
    return CAPACITY + REFILL * haul.seconds + 1


@pytest.fixture
def galleries(transactional_db: Any) -> list[User]:
    artists = []
    for _ in range(ARTISTS):
        artist = UserFactory.create()
        for _work in range(WORKS_EACH):
            asset_with_variants(artist, formats=("avif", "webp", "jpeg"))
        artists.append(artist)
    return artists


def test_scrapers_get_little_and_slowly(
    live_server: Any, galleries: list[User], settings: Any
) -> None:
    settings.RATE_LIMITS = {"variants": {"capacity": CAPACITY, "refill_per_second": REFILL}}
    bounds: dict[str, Any] = {"deadline_s": DEADLINE_S, "max_requests": MAX_REQUESTS}

    anonymous = Scraper(live_server.url, "anonymous, waits out Retry-After",
                        honour_retry_after=True, **bounds).run("/sim/")  # fmt: skip
    assert anonymous.image_urls_seen == ARTISTS * WORKS_EACH * 3 * 3  # 320/640/1080 x 3 formats
    assert set(anonymous.widths) <= {320, 640, 1080}
    assert 0 < anonymous.images <= ceiling(anonymous)
    if anonymous.requests - 2 - ARTISTS > ceiling(anonymous):  # asked for more than allowed
        assert anonymous.statuses[429] > 0
        assert min(anonymous.retry_after) >= 1

    # The crawler is handed every URL the harvester saw (the worst case: it got them elsewhere).
    seen = _urls_seen(live_server.url)
    crawler = Scraper(live_server.url, "GPTBot user agent", user_agent=GPTBOT, **bounds).run(
        "/sim/", extra_image_urls=seen
    )
    assert crawler.images == 0
    assert crawler.pages == 1  # robots.txt, and nothing else
    assert crawler.statuses[403] == crawler.requests - 1

    member = UserFactory.create()
    login = Client()
    login.force_login(member)
    cookie = {settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value}
    fast = Scraper(live_server.url, "signed in, as fast as it can", cookies=cookie,
                   **bounds).run("/sim/")  # fmt: skip
    assert fast.image_urls_seen == ARTISTS * WORKS_EACH * 5 * 3  # every width, 2048 signed
    assert 0 < fast.images <= ceiling(fast)
    if fast.requests - 2 - ARTISTS > ceiling(fast):
        assert fast.statuses[429] > 0

    report = os.environ.get("IMPASTO_SCRAPE_REPORT")
    if report:
        Path(report).write_text(
            json.dumps(
                {
                    "capacity": CAPACITY,
                    "refill_per_second": REFILL,
                    "deadline_s": DEADLINE_S,
                    "max_requests": MAX_REQUESTS,
                    "artists": ARTISTS,
                    "works": ARTISTS * WORKS_EACH,
                    "hauls": [h.row() for h in (anonymous, crawler, fast)],
                },
                indent=2,
            )
        )


def _urls_seen(base: str) -> list[tuple[str, int]]:
    """The image URLs an anonymous visitor is shown, fetched with a fresh anonymous walk."""
    import requests

    from tests.protection.scraper import PROFILE_LINK, image_urls

    session = requests.Session()
    directory = session.get(f"{base}/sim/", timeout=10).text
    urls: list[tuple[str, int]] = []
    for profile in dict.fromkeys(PROFILE_LINK.findall(directory)):
        urls.extend(image_urls(session.get(f"{base}{profile}", timeout=10).text))
    return urls
