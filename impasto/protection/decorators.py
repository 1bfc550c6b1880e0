"""View decorators and responses for the limiter and the hot-link rule.

The image-variant view (impasto.imaging) applies both as::

    @require_safe
    @image_protection(bucket="variants")
    def variant(request, ...): ...

and the API wraps its endpoints with ``rate_limited("api", ...)`` or calls
:func:`impasto.protection.ratelimit.rate_limit` itself and answers with
:func:`too_many_requests`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

from impasto.core import errors
from impasto.protection.hotlink import HotlinkVerdict, hotlink_verdict
from impasto.protection.ratelimit import Decision, rate_limit

logger = logging.getLogger("impasto.protection")

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# Fetch destinations and Accept prefixes of media, which get a short text body, not a page.
_MEDIA_DESTINATIONS = frozenset({"image", "video", "audio", "track", "font", "style", "script"})


def _wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _wants_media(request: HttpRequest) -> bool:
    destination = request.headers.get("Sec-Fetch-Dest", "").lower()
    return destination in _MEDIA_DESTINATIONS or request.headers.get("Accept", "").startswith(
        "image/"
    )


def quiet(response: HttpResponseBase) -> None:
    """Keep django.request from logging this refusal again at WARNING: we log it at INFO."""
    response._has_been_logged = True  # type: ignore[attr-defined]  # django.utils.log


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """429 with Retry-After: JSON for the API, a short line for images, else the friendly page."""
    seconds = int(decision.retry_after_header)
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(
            {
                "detail": _("Too many requests. Try again in a little while."),
                "retry_after": seconds,
            },
            status=429,
        )
    elif _wants_media(request):
        response = HttpResponse(
            _("Too many requests. Try again in %(seconds)d s.") % {"seconds": seconds} + "\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    else:
        response = errors.too_many_requests(request, retry_after=seconds)
    response["Retry-After"] = decision.retry_after_header
    response["Cache-Control"] = "no-store"
    quiet(response)
    return response


def hotlink_refused(request: HttpRequest, verdict: HotlinkVerdict) -> HttpResponse:
    response = HttpResponse(
        _("403 Forbidden: this image may not be shown on other sites' pages.") + "\n",
        status=403,
        content_type="text/plain; charset=utf-8",
    )
    # Vary: a shared cache must not give this answer to our own pages.
    response["Vary"] = "Referer, Sec-Fetch-Site, Sec-Fetch-Dest, User-Agent"
    response["Cache-Control"] = "no-store"
    quiet(response)
    return response


KeyFunc = Callable[[HttpRequest], str]


def rate_limited(
    bucket: str,
    *,
    capacity: int | None = None,
    refill_per_second: float | None = None,
    key: KeyFunc | None = None,
) -> Callable[[View], View]:
    """Answer 429 with Retry-After once the client's bucket is empty.

    ``key`` names the client (default :func:`impasto.protection.clients.client_key`)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            decision = rate_limit(
                request,
                bucket=bucket,
                capacity=capacity,
                refill_per_second=refill_per_second,
                key=key(request) if key is not None else None,
            )
            if not decision.allowed:
                # The kind of client only (user or ip): no address in the log.
                logger.info("rate limited %s client: bucket %s", decision.key.split(":")[0], bucket)
                return too_many_requests(request, decision)
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def hotlink_protected(view: View) -> View:
    """Refuse image requests from other sites' pages (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        verdict = hotlink_verdict(request)
        if not verdict.allowed:
            logger.info("refused hot-link: %s", verdict.reason)
            return hotlink_refused(request, verdict)
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def image_protection(
    bucket: str = "variants",
    *,
    capacity: int | None = None,
    refill_per_second: float | None = None,
    key: KeyFunc | None = None,
) -> Callable[[View], View]:
    """Both, hot-link first: a refused embed costs the client no token."""

    def decorator(view: View) -> View:
        limited = rate_limited(
            bucket, capacity=capacity, refill_per_second=refill_per_second, key=key
        )
        return hotlink_protected(limited(view))

    return decorator
