"""Runs the configured detectors on one file and turns their evidence into a verdict.

Detectors come from ``settings.DETECTORS``, a list of ``{"BACKEND": "<dotted path>",
"OPTIONS": {...}}`` (the shape of Django's TEMPLATES and STORAGES), built once per process and
rebuilt when a test overrides the setting. A detector that raises on a hostile file does not
stop the scan: the failure becomes ``error`` evidence (no strength, so it neither holds nor
clears a work) and is logged with its traceback.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from impasto.protection.detection.base import (
    ERROR_SIGNAL,
    Detector,
    DetectorError,
    Evidence,
    ScanResult,
    Strength,
)
from impasto.protection.detection.subject import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PIXELS,
    Source,
    Subject,
    read_source,
)

logger = logging.getLogger("impasto.protection.detection")

MAX_ERROR_DETAIL = 300


def build_detectors(config: list[dict[str, Any]]) -> tuple[Detector, ...]:
    detectors: list[Detector] = []
    for entry in config:
        path = entry.get("BACKEND")
        if not isinstance(path, str):
            raise ImproperlyConfigured(f"DETECTORS entry without a BACKEND: {entry!r}")
        try:
            cls = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"DETECTORS: cannot import {path}: {error}") from None
        if not (isinstance(cls, type) and issubclass(cls, Detector)):
            raise ImproperlyConfigured(f"DETECTORS: {path} is not a Detector")
        detectors.append(cls(**entry.get("OPTIONS", {})))
    return tuple(detectors)


@cache
def get_detectors() -> tuple[Detector, ...]:
    """The configured detectors, built once (a model file is loaded once per process)."""
    return build_detectors(getattr(settings, "DETECTORS", []))


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting in {"DETECTORS"}:
        get_detectors.cache_clear()


def scan_subject(subject: Subject, detectors: tuple[Detector, ...] | None = None) -> ScanResult:
    evidence: list[Evidence] = []
    for detector in get_detectors() if detectors is None else detectors:
        if detector.skip_when_strong and any(e.strength is Strength.STRONG for e in evidence):
            continue
        try:
            evidence.extend(detector.detect(subject))
        except DetectorError as error:
            logger.warning("detector %s on %s: %s", detector.name, subject.name, error)
            evidence.append(_error(detector, str(error)))
        except Exception as error:
            # A parser meeting a hostile file: record it, keep scanning with the others.
            logger.exception("detector %s failed on %s", detector.name, subject.name)
            evidence.append(_error(detector, f"{type(error).__name__}: {error}"))
    return ScanResult.from_evidence(evidence)


def _error(detector: Detector, message: str) -> Evidence:
    return Evidence(
        signal=ERROR_SIGNAL,
        detail=f"{detector.name}: {message}"[:MAX_ERROR_DETAIL],
        strength=None,
    )


def scan(source: Source, *, name: str = "") -> ScanResult:
    """Scan one image's original bytes (bytes, a path, or a binary file object).

    Call it before anything re-encodes the file: a re-encode drops every metadata signal and
    most watermarks. The format is sniffed from the bytes, never taken from a name or a declared
    type. Raises :class:`~impasto.protection.detection.subject.UnreadableImage` when the
    source cannot be read, is larger than ``DETECTION_MAX_BYTES``, or is not an image in an
    accepted format; every other problem is recorded as ``error`` evidence.
    """
    max_bytes = getattr(settings, "DETECTION_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_pixels = getattr(settings, "DETECTION_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    data = read_source(source, max_bytes=max_bytes)
    if not name and isinstance(source, str | os.PathLike):
        name = os.fspath(source)
    subject = Subject(data, name=name or "<bytes>", max_pixels=max_pixels)
    return scan_subject(subject)
