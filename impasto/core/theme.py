"""Light, dark or the system's choice, remembered in a cookie the server reads.

The server writes the choice into ``<html data-theme="...">`` so the first paint already has
the right colours: no flash of the wrong theme, and no inline script to prevent one.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "impasto_theme"
COOKIE_AGE = 60 * 60 * 24 * 365
SYSTEM, LIGHT, DARK = "system", "light", "dark"
CHOICES: list[tuple[str, str | Promise]] = [
    (SYSTEM, _("System")),
    (LIGHT, _("Light")),
    (DARK, _("Dark")),
]
VALUES = frozenset(value for value, _label in CHOICES)

# The browser UI colour (address bar, PWA title bar) for each theme: the page background.
THEME_COLOR = {LIGHT: "#f6f3ee", DARK: "#16151a"}


def theme_from_request(request: HttpRequest) -> str:
    value = request.COOKIES.get(COOKIE_NAME, SYSTEM)
    return value if value in VALUES else SYSTEM


def set_theme_cookie(response: HttpResponse, theme: str) -> None:
    if theme == SYSTEM:
        # The default needs no cookie: forget any earlier choice.
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return
    response.set_cookie(
        COOKIE_NAME,
        theme,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
