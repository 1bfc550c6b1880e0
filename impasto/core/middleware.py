from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from impasto.core.htmx import Level, toast

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set.

    ``setdefault``: a view that must differ (an embeddable image, say) sets its own value.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Other sites may not embed our responses with <img>/<script> (no-cors reads):
        # hot-linking and cross-site leaks (Spectre-style) are refused by the browser.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Old Flash/PDF plug-ins may not read cross-domain policy files from this origin.
        response.headers.setdefault("X-Permitted-Cross-Domain-Policies", "none")
        return response


_LEVELS: dict[str, Level] = {
    "debug": "info",
    "info": "info",
    "success": "success",
    "warning": "warning",
    "error": "error",
}


class HtmxMessagesMiddleware:
    """Django messages added while answering an htmx request leave as toasts.

    An htmx partial has no place for the page's message list, so without this a message
    would wait for the next full page load and show up out of context. Boosted requests and
    redirects render whole pages later, so their messages are left for the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if (
            htmx
            and not htmx.boosted
            and not (300 <= response.status_code < 400)
            and "HX-Redirect" not in response
            and "HX-Refresh" not in response
            and hasattr(request, "_messages")
        ):
            for message in messages.get_messages(request):
                toast(response, str(message), level=_LEVELS.get(message.level_tag, "info"))
        return response
