"""The public path of a stored rendition, without a URL resolver walk for every variant.

A page of the JSON home timeline carries about a hundred variant URLs. Reversing each one walked
Django's resolver (and read the active language three times): a quarter of the page's CPU. The
route ``imaging:variant`` is ``…/v/<sha256>.<ext>`` under a fixed prefix, so the prefix is
reversed once per script prefix and URLconf, and each path is that prefix and the variant's
content address. ``tests/imaging/test_paths.py`` holds it equal to ``reverse``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_PROBE = ("0" * 64, "ext")


@lru_cache(maxsize=16)
def _prefix(script_prefix: str, urlconf: str | None) -> str:
    sha256, ext = _PROBE
    return reverse("imaging:variant", args=[sha256, ext], urlconf=urlconf).removesuffix(
        f"{sha256}.{ext}"
    )


def variant_prefix() -> str:
    """What every variant's path starts with, for the current script prefix and URLconf: a
    list of variants reads it once (:func:`variant_path` reads it for each)."""
    return _prefix(get_script_prefix(), get_urlconf())


def variant_path(sha256: str, ext: str) -> str:
    """``reverse("imaging:variant", args=[sha256, ext])``, for a stored variant's own values."""
    return f"{variant_prefix()}{sha256}.{ext}"


@receiver(setting_changed)
def _urlconf_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _prefix.cache_clear()
