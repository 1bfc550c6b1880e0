"""Hot-linking: our images are not to be embedded in other sites' pages.

The rule, for an image request (:func:`hotlink_verdict`):

1. Link-preview fetchers and feed readers (by User-Agent, :mod:`impasto.protection.agents`)
   are let through: they build the card for a shared link or show a post in a reader.
2. Browsers send Fetch Metadata, which a page cannot forge. ``Sec-Fetch-Site`` of
   ``same-origin``, ``same-site`` or ``none`` (typed, bookmarked) is ours. A ``cross-site``
   top-level navigation (someone followed a link to the image) is fine. A ``cross-site``
   subresource fetch (``<img>`` on another site's page, or a script's fetch) is refused unless
   the page's origin, from ``Referer``, is ours or a configured partner
   (``IMPASTO_HOTLINK_ALLOWED_ORIGINS``); with no ``Referer`` it cannot be vouched for.
3. Without Fetch Metadata (older browsers, programs): no ``Referer`` is a direct request and
   allowed, as nginx's ``valid_referers none`` does; a ``Referer`` from a foreign origin is
   refused.

None of this stops a scraper, which sends whatever headers it likes: it stops other sites from
showing artists' images on their pages at our cost, and the rate limit does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

from impasto.protection.agents import classify_user_agent
from impasto.protection.crawlers import Category

ALLOWED_AGENT_CATEGORIES = frozenset({Category.LINK_PREVIEW, Category.FEED_READER})
# Sec-Fetch-Dest values of a top-level or nested browsing context: a person navigating.
NAVIGATION_DESTINATIONS = frozenset({"document", "iframe", "frame"})


@dataclass(frozen=True, slots=True)
class HotlinkVerdict:
    allowed: bool
    reason: str


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"


def own_origins(request: HttpRequest) -> set[str]:
    """Our own origins: the configured site address and the host this request came to."""
    origins = {origin for origin in (_origin(settings.SITE_URL),) if origin}
    try:
        here = _origin(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:  # then only the configured address counts
        here = None
    if here:
        origins.add(here)
    return origins


def allowed_origins(request: HttpRequest) -> set[str]:
    partners = {_origin(origin) for origin in getattr(settings, "HOTLINK_ALLOWED_ORIGINS", [])}
    return own_origins(request) | {origin for origin in partners if origin}


def hotlink_verdict(request: HttpRequest) -> HotlinkVerdict:
    """Whether an image request may be answered (see the module docstring for the rule)."""
    agent = classify_user_agent(request.headers.get("User-Agent", ""))
    if agent is not None and agent.category in ALLOWED_AGENT_CATEGORIES:
        return HotlinkVerdict(True, f"{agent.category.value}: {agent.token}")

    referer = request.headers.get("Referer", "")
    referer_origin = _origin(referer) if referer else None
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()

    if site:
        if site in {"same-origin", "same-site", "none"}:
            return HotlinkVerdict(True, f"sec-fetch-site: {site}")
        destination = request.headers.get("Sec-Fetch-Dest", "").strip().lower()
        if destination in NAVIGATION_DESTINATIONS:
            return HotlinkVerdict(True, f"cross-site navigation ({destination})")
        if referer_origin is not None and referer_origin in allowed_origins(request):
            return HotlinkVerdict(True, f"allowed origin {referer_origin}")
        return HotlinkVerdict(
            False, f"cross-site {destination or 'subresource'} from {referer_origin or 'unknown'}"
        )

    if not referer:
        return HotlinkVerdict(True, "no referer")
    if referer_origin is not None and referer_origin in allowed_origins(request):
        return HotlinkVerdict(True, f"allowed origin {referer_origin}")
    return HotlinkVerdict(False, f"foreign referer {referer_origin or 'unparseable'}")
