"""``manage.py check`` builds the configured detectors, so a wrong model path, a missing
onnxruntime or a bad option stops start-up with a clear message instead of failing uploads."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured


def check_detectors(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from impasto.protection.detection.engine import get_detectors

    try:
        get_detectors()
    except (ImproperlyConfigured, TypeError) as error:
        return [Error(str(error), hint="See docs/detection.md.", id="protection.E101")]
    return []
