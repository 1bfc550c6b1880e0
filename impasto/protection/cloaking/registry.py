"""The backend and the pipeline adapter named in ``settings.CLOAKING``.

``settings.CLOAKING`` (built from ``IMPASTO_CLOAK_*`` in config/settings.py)::

    {
        "BACKEND": "<dotted path of a CloakBackend>" or None,
        "OPTIONS": {...},                      # keyword arguments of the backend
        "PIPELINE": "<dotted path of a CloakPipeline>",
        "NOTIFY": "<dotted path of a callable(job)>" or None,
        "STALE_AFTER": <seconds a running job may go silent before it is run again>,
    }

Both are built once per process (a model file is loaded once) and rebuilt when a test overrides
the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from impasto.protection.cloaking.base import CloakBackend, DisabledBackend

if TYPE_CHECKING:
    from impasto.protection.cloaking.pipeline import CloakPipeline

DEFAULT_PIPELINE = "impasto.protection.cloaking.pipeline.UnwiredPipeline"
DEFAULT_STALE_AFTER = 900


def config() -> dict[str, Any]:
    return dict(getattr(settings, "CLOAKING", {}) or {})


def _import(path: str, what: str) -> Any:
    try:
        return import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"CLOAKING[{what!r}]: cannot import {path}: {error}") from None


def build_backend(entry: dict[str, Any]) -> CloakBackend:
    path = entry.get("BACKEND")
    if not path:
        return DisabledBackend()
    cls = _import(path, "BACKEND")
    if not (isinstance(cls, type) and issubclass(cls, CloakBackend)):
        raise ImproperlyConfigured(f"CLOAKING['BACKEND']: {path} is not a CloakBackend")
    try:
        return cls(**entry.get("OPTIONS", {}))
    except TypeError as error:
        raise ImproperlyConfigured(f"CLOAKING['OPTIONS'] for {path}: {error}") from None


@cache
def get_backend() -> CloakBackend:
    return build_backend(config())


@cache
def get_pipeline() -> CloakPipeline:
    path = config().get("PIPELINE") or DEFAULT_PIPELINE
    return _import(path, "PIPELINE")()


@cache
def get_notifier() -> Callable[[Any], None] | None:
    path = config().get("NOTIFY")
    return _import(path, "NOTIFY") if path else None


def stale_after() -> int:
    return int(config().get("STALE_AFTER", DEFAULT_STALE_AFTER))


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "CLOAKING":
        get_backend.cache_clear()
        get_pipeline.cache_clear()
        get_notifier.cache_clear()
