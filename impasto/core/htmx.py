"""htmx helpers: toasts that tell a person what an htmx request did.

A view answering an htmx request calls :func:`toast`; the response carries an ``HX-Trigger``
header with a ``toasts`` event, and static/js/impasto.js shows each item in the page's
``#toasts`` live region. Django messages added during an htmx request become toasts too
(:class:`impasto.core.middleware.HtmxMessagesMiddleware`), so services and views can keep using
``messages.success(...)`` whatever the kind of request.
"""

from __future__ import annotations

import json
from typing import Literal, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django_htmx.middleware import HtmxDetails

Level = Literal["info", "success", "warning", "error"]
EVENT = "toasts"
HEADER = "HX-Trigger"

R = TypeVar("R", bound=HttpResponseBase)


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checking views)."""

    htmx: HtmxDetails


def toast(response: R, message: str, *, level: Level = "success") -> R:
    """Add a toast to ``response`` (kept beside any other HX-Trigger events)."""
    events = json.loads(response[HEADER]) if HEADER in response else {}
    items = events.setdefault(EVENT, {"items": []})["items"]
    items.append({"message": str(message), "level": level})
    # ensure_ascii: header values must be Latin-1; \u escapes carry any language through.
    response[HEADER] = json.dumps(events, ensure_ascii=True)
    return response
