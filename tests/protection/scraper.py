"""Simulated scrapers for the loopback scraping test (test_scraper.py) and bench/scrape.py.

Each scraper is an HTTP client (requests) against a live server, bounded by a deadline and a
request budget. It walks pages, collects every image URL in ``src``, ``srcset`` and
``<source srcset>``, follows profile links, and downloads every image it found. What it
obtained is counted per width, read from the ``NNNw`` descriptor beside each URL.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin

import requests

SRCSET = re.compile(r'srcset="([^"]+)"')
SRC = re.compile(r'<img[^>]*\ssrc="([^"]+)"')
PROFILE_LINK = re.compile(r'href="(/sim/@[^"/]+)"')
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.2;"
    " +https://openai.com/gptbot"
)


@dataclass
class Haul:
    """What one scraper got."""

    name: str
    requests: int = 0
    pages: int = 0
    pages_refused: int = 0
    images: int = 0
    widths: Counter[int] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    retry_after: list[int] = field(default_factory=list)
    seconds: float = 0.0
    stopped_by: str = "done"
    image_urls_seen: int = 0

    def row(self) -> dict[str, object]:
        return {
            "name": self.name,
            "requests": self.requests,
            "pages": self.pages,
            "images": self.images,
            "widths": dict(sorted(self.widths.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "seconds": round(self.seconds, 1),
            "stopped_by": self.stopped_by,
            "image_urls_seen": self.image_urls_seen,
        }


class Budget(Exception):
    """The scraper's deadline or request budget is spent."""


@dataclass
class Scraper:
    base: str
    name: str
    user_agent: str = BROWSER
    deadline_s: float = 20.0
    max_requests: int = 400
    honour_retry_after: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    haul: Haul = field(init=False)

    def __post_init__(self) -> None:
        self.haul = Haul(self.name)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        for key, value in self.cookies.items():
            self.session.cookies.set(key, value)
        self.started = time.monotonic()

    def _left(self) -> float:
        return self.deadline_s - (time.monotonic() - self.started)

    def _get(self, url: str, **headers: str) -> requests.Response:
        if self._left() <= 0:
            self.haul.stopped_by = "deadline"
            raise Budget
        if self.haul.requests >= self.max_requests:
            self.haul.stopped_by = "request budget"
            raise Budget
        self.haul.requests += 1
        response = self.session.get(
            urljoin(self.base, url), headers=headers, timeout=10, allow_redirects=False
        )
        self.haul.statuses[response.status_code] += 1
        return response

    def page(self, url: str) -> str:
        response = self._get(url)
        if response.status_code != 200:
            self.haul.pages_refused += 1
            return ""
        self.haul.pages += 1
        return response.text

    def image(self, url: str, width: int, *, referer: str = "") -> None:
        while True:
            headers = {"Accept": "image/avif,image/webp,*/*", "Referer": referer}
            response = self._get(url, **{k: v for k, v in headers.items() if v})
            if response.status_code == 200 and response.headers["Content-Type"].startswith(
                "image/"
            ):
                self.haul.images += 1
                self.haul.widths[width] += 1
                return
            if response.status_code == 429:
                wait = int(response.headers.get("Retry-After", "1"))
                self.haul.retry_after.append(wait)
                if self.honour_retry_after:
                    time.sleep(min(wait, max(0.0, self._left())))
                    continue
            return

    def run(self, start: str, *, extra_image_urls: Sequence[tuple[str, int]] = ()) -> Haul:
        with contextlib.suppress(Budget):
            self._walk(start, list(extra_image_urls))
        self.haul.seconds = time.monotonic() - self.started
        return self.haul

    def _walk(self, start: str, extra: list[tuple[str, int]]) -> None:
        self.page("/robots.txt")
        directory = self.page(start)
        profiles = list(dict.fromkeys(PROFILE_LINK.findall(directory)))
        found: dict[str, tuple[int, str]] = {}
        for profile in profiles:
            html = self.page(profile)
            for url, width in image_urls(html):
                found.setdefault(url, (width, urljoin(self.base, profile)))
        for url, width in extra:
            found.setdefault(url, (width, ""))
        self.haul.image_urls_seen = len(found)
        for url, (width, referer) in found.items():
            self.image(url, width, referer=referer)


def image_urls(html: str) -> list[tuple[str, int]]:
    """Every (url, width) in a page's srcsets, plus the fallback ``src`` (width 0 if unknown)."""
    urls: list[tuple[str, int]] = []
    for srcset in SRCSET.findall(html):
        for candidate in unescape(srcset).split(","):
            parts = candidate.strip().split()
            if len(parts) == 2 and parts[1].endswith("w"):
                urls.append((parts[0], int(parts[1][:-1])))
    known = {url for url, _w in urls}
    for src in SRC.findall(html):
        src = unescape(src)
        if src not in known:
            urls.append((src, 0))
    return urls
