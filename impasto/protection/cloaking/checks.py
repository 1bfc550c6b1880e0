"""``manage.py check``: the configured backend builds, and says whether it can run here.

A wrong option (a bad URL scheme, a negative tile) is an error: the site should not start with
it. A backend that is configured but cannot run on this server (torch missing, model file
missing, no key) is a warning: the site runs and every job says "not available: <reason>",
but the operator who configured it should hear about it at start-up, not from an artist.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning
from django.core.exceptions import ImproperlyConfigured

HINT = "See docs/cloaking.md."


def check_cloaking(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from impasto.protection.cloaking.base import DisabledBackend
    from impasto.protection.cloaking.registry import get_backend, get_pipeline

    try:
        backend = get_backend()
        get_pipeline()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=HINT, id="protection.E201")]
    if isinstance(backend, DisabledBackend):
        return []  # not configured: nothing to warn about
    availability = backend.available()
    if not availability.ok:
        return [
            Warning(
                f"The {backend.name} cloaking backend cannot run: {availability.reason}",
                hint=HINT,
                id="protection.W202",
            )
        ]
    return []
