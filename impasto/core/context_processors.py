from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from impasto.core import navigation, theme


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}


def shell(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs: the theme, and the navigation links that resolve.

    The links are lazy: partials and JSON views that never touch them pay nothing. None of
    this queries the database, so adding the shell changes no page's query count.
    """
    current = theme.theme_from_request(request)
    return {
        "theme": current,
        "theme_choices": theme.CHOICES,
        "theme_color": theme.THEME_COLOR,
        "main_nav": SimpleLazyObject(lambda: navigation.main_links(request)),
        "account_nav": SimpleLazyObject(lambda: navigation.account_links(request)),
        "ai_policy_url": SimpleLazyObject(lambda: navigation.resolve(navigation.AI_POLICY) or ""),
        "legal_nav": SimpleLazyObject(lambda: navigation.legal_links(request)),
    }
