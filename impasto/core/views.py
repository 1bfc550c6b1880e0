from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_cookie

from impasto.core import home as home_registry
from impasto.core import navigation, theme
from impasto.core.htmx import HtmxHttpRequest, toast


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Visitors get the landing page; members the home an app registered (their Following
    feed, impasto.core.home), else the first steps."""
    if request.user.is_authenticated:
        member_home = home_registry.member_home_view()
        if member_home is not None:
            return member_home(request)
        steps = navigation.links(request, navigation.FIRST_STEPS)
        return render(request, "core/home_member.html", {"steps": steps})
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and cache health, for load balancers and monitoring."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "1", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error: read back failed"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


# --- theme ---------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@require_POST
def theme_set(request: HtmxHttpRequest) -> HttpResponse:
    """Remember light, dark or system. A form post redirects back; htmx gets 204."""
    choice = request.POST.get("theme", "")
    if choice not in theme.VALUES:
        message = _("Choose one of: system, light, dark.")
        if request.htmx:
            return toast(HttpResponse(status=400), message, level="error")
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    response = (
        HttpResponse(status=204) if request.htmx else HttpResponseRedirect(_safe_next(request))
    )
    theme.set_theme_cookie(response, choice)
    return response


@require_GET
def appearance(request: HttpRequest) -> HttpResponse:
    """Settings page for the theme and the language (both work signed out too)."""
    return render(request, "core/appearance.html")


# --- PWA -----------------------------------------------------------------------------------

# Static files the service worker keeps for offline use: the look of every page.
PRECACHE = (
    "css/impasto.css",
    "js/impasto.js",
    "img/icons.svg",
    "img/icon.svg",
    "img/icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
)


@cache_control(public=True, max_age=60 * 60 * 24)
@vary_on_cookie  # the language may come from the language cookie
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what a phone needs to install Impasto as an app."""
    data = {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": _("A home for artists' work: made by people, protected from AI scraping."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": theme.THEME_COLOR[theme.LIGHT],
        "theme_color": theme.THEME_COLOR[theme.LIGHT],
        "categories": ["art", "social", "photo"],
        "icons": [
            {
                "src": static("img/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("img/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("img/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def _offline_html() -> str:
    return loader.get_template("core/offline.html").render({"SITE_NAME": settings.SITE_NAME})


@vary_on_cookie
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows when a page cannot be fetched.

    Rendered without the request (no account, no CSRF token, nothing personal), because the
    service worker keeps a copy of it on the device.
    """
    return HttpResponse(_offline_html())


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, from the site root so its scope is the whole site.

    Its version is a hash of everything it caches (static URLs are content-hashed in
    production, and the offline page itself), so any change installs a new worker, which
    drops the old caches.
    """
    offline_url = reverse("core:offline")
    precache = [static(path) for path in PRECACHE]
    version = hashlib.sha256(
        json.dumps([precache, _offline_html(), get_language()]).encode()
    ).hexdigest()[:16]
    config = {
        "version": version,
        "offline": offline_url,
        "precache": [offline_url, *precache],
        "static": settings.STATIC_URL,
    }
    script = loader.get_template("core/sw.js").render(
        # JSON is a JavaScript expression; no HTML parser ever reads this response.
        {"config": mark_safe(json.dumps(config))}  # noqa: S308
    )
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


# --- design system -------------------------------------------------------------------------


@require_GET
def design(request: HttpRequest) -> HttpResponse:
    """Every shell component on one page, for whoever builds or reviews a page.

    Shown in development and to staff only: it is a tool, not part of the public site.
    """
    if not (settings.DEBUG or request.user.is_staff):
        raise Http404
    return render(request, "core/design.html")
