"""System checks for the protection settings (``manage.py check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.checks import CheckMessage, Warning, register

from impasto.protection.ratelimit import configured_limit, supports_atomic_limits


@register()
def rate_limit_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not supports_atomic_limits(caches["default"]):
        problems.append(
            Warning(
                "Rate limits are atomic only on Redis (shared) or local memory (per process); "
                "on this cache backend, processes sharing it can each admit the same last token.",
                hint="Set IMPASTO_REDIS_URL to use Redis for the cache.",
                id="protection.W001",
            )
        )
    for bucket in getattr(settings, "RATE_LIMITS", {}):
        try:
            configured_limit(bucket).rate()
        except (KeyError, TypeError, ValueError) as error:
            problems.append(
                Warning(f"RATE_LIMITS[{bucket!r}] is not usable: {error}", id="protection.W002")
            )
    return problems
