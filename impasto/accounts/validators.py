from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HANDLE_RE = re.compile(r"^[a-z0-9_]{2,30}$")

# Handles that would collide with our own URLs or impersonate the platform's staff.
RESERVED_HANDLES = frozenset(
    {
        "about", "accounts", "admin", "administrator", "ai", "api", "app", "help", "home",
        "impasto", "jobs", "login", "logout", "media", "mod", "moderator", "moderators",
        "notifications", "official", "root", "search", "security", "settings", "signup",
        "staff", "static", "support", "system", "tags", "team", "www",
    }
)  # fmt: skip


def normalize_handle(value: str) -> str:
    return value.strip().lstrip("@").lower()


def validate_handle(value: str) -> None:
    if not HANDLE_RE.fullmatch(value):
        raise ValidationError(
            _("A handle is 2 to 30 characters: lowercase letters, digits and underscores."),
            code="invalid_handle",
        )
    if value in RESERVED_HANDLES:
        raise ValidationError(_("This handle is reserved."), code="reserved_handle")
