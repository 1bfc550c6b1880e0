"""Every response says "not for AI training"; listed AI crawlers get a 403 and no content."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.html import escape
from django.utils.translation import gettext as _

from impasto.protection import optout
from impasto.protection.crawlers import CrawlerMatch, matcher

logger = logging.getLogger("impasto.protection")

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_ROBOTS_META = b'content="noai, noimageai"'
_TDM_META = b'name="tdm-reservation"'


def refused_crawler(request: HttpRequest) -> CrawlerMatch | None:
    """The listed AI crawler this request comes from, if its category is refused."""
    found = matcher().match(request.headers.get("User-Agent", ""))
    if found is None or found.category not in optout.blocked_categories():
        return None
    return found


def crawler_refused_response(found: CrawlerMatch) -> HttpResponse:
    message = _(
        "403 Forbidden: automated access by %(agent)s is refused. The artwork on this site is "
        "not for AI training or datasets. See /robots.txt and %(policy)s"
    ) % {"agent": found.token, "policy": optout.policy_url()}
    response = HttpResponse(message + "\n", status=403, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    # Logged once, at INFO, by the middleware; not again by django.request at WARNING.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def ensure_meta_tags(response: HttpResponseBase) -> None:
    """Add the noai and TDMRep meta tags to an HTML page that lacks them.

    Pages built on templates/base.html carry them already; this covers the pages that are not
    (django-allauth's own layout, the admin, Django's default error pages), so that every HTML
    page a visitor or crawler can reach says the same thing.
    """
    if (
        not isinstance(response, HttpResponse)
        or not response.get("Content-Type", "").startswith("text/html")
        or not response.content
    ):
        return
    content = response.content
    tags: list[bytes] = []
    if _ROBOTS_META not in content:
        tags.append(b'<meta name="robots" content="noai, noimageai">')
    if _TDM_META not in content:
        policy = escape(optout.policy_url()).encode()
        tags.append(b'<meta name="tdm-reservation" content="1">')
        tags.append(b'<meta name="tdm-policy" content="' + policy + b'">')
    if not tags:
        return
    head = _HEAD.search(content, 0, 16_384)
    if head is None:  # a fragment (htmx partial) or not a page at all
        return
    response.content = content[: head.end()] + b"".join(tags) + content[head.end() :]
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


class AIProtectionMiddleware:
    """Refuse listed AI crawlers (except on the opt-out files); add the opt-out headers.

    Placed outside WhiteNoise, so static files carry the headers and crawlers are refused before
    a session, a database query or a template is touched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        found = refused_crawler(request)
        response: HttpResponseBase
        if found is not None and request.path_info not in optout.SIGNAL_PATHS:
            # The matched token only: no address in this log line.
            logger.info(
                "refused AI crawler %s (%s): %s %s",
                found.token,
                found.category.value,
                request.method,
                request.path_info,
            )
            response = crawler_refused_response(found)
        else:
            response = self.get_response(request)
            ensure_meta_tags(response)
        for name, value in optout.response_headers().items():
            response[name] = value
        return response
