"""AI-generated image detection ("No AI art"): see docs/detection.md.

The image pipeline calls :func:`scan` on an upload's original bytes before re-encoding them;
``impasto scan FILE...`` does the same from the command line.
"""

from __future__ import annotations

from impasto.protection.detection.base import (
    Detector,
    DetectorError,
    Evidence,
    ScanResult,
    Strength,
    Verdict,
)
from impasto.protection.detection.engine import get_detectors, scan
from impasto.protection.detection.subject import Subject, UnreadableImage

__all__ = [
    "Detector",
    "DetectorError",
    "Evidence",
    "ScanResult",
    "Strength",
    "Subject",
    "UnreadableImage",
    "Verdict",
    "get_detectors",
    "scan",
]
