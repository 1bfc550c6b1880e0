"""The backend interface every cloak goes through, and what it returns.

A backend takes the display variant's pixels (``numpy`` ``uint8``, ``H x W x 3``, sRGB) and a
level, and returns a :class:`CloakResult`: new pixels of the same size within the level's
budget, with the SSIM and PSNR measured on them. It never returns pixels over budget: it
shrinks its perturbation until they fit (built-in) or refuses the answer (external service).

Failures are exceptions the job records for the artist to read:
- :class:`CloakUnavailable`: this server cannot cloak at all (no backend, torch missing, model
  file missing); the job ends ``unavailable`` with the reason;
- :class:`CloakError`: this picture could not be cloaked (service down, answer refused); the job
  ends ``failed`` with the reason. In both cases the variants stay as they were.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from impasto.protection.cloaking.levels import CloakLevel

#: SSIM compares 7 x 7 windows: smaller pictures cannot be measured, so they are not cloaked.
MIN_SIDE = 7


class CloakError(Exception):
    """This picture could not be cloaked; the message says why in plain words."""


class CloakUnavailable(CloakError):
    """Cloaking cannot run on this server; the message says what is missing."""


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class CloakResult:
    pixels: np.ndarray  # uint8, H x W x 3, the same size as the input
    ssim: float
    psnr: float  # dB; 100.0 stands for "identical"
    linf: int  # largest change of one channel, in 0-255 steps
    backend: str
    details: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-ready numbers (no pixels): what the job stores per variant."""
        return {
            "ssim": round(self.ssim, 5),
            "psnr": round(self.psnr, 3),
            "linf": self.linf,
            "backend": self.backend,
            **self.details,
        }


def check_pixels(pixels: np.ndarray) -> None:
    """Refuse anything but an 8-bit RGB array large enough to measure."""
    if not isinstance(pixels, np.ndarray) or pixels.dtype != np.uint8:
        raise ValueError("cloaking takes a numpy uint8 array")
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"cloaking takes H x W x 3 RGB pixels, not shape {pixels.shape}")
    if min(pixels.shape[:2]) < MIN_SIDE:
        raise CloakError(f"the picture is smaller than {MIN_SIDE} pixels on a side")


class CloakBackend(ABC):
    """One way of computing a cloak. Listed by dotted path in ``settings.CLOAKING["BACKEND"]``.

    The constructor takes ``settings.CLOAKING["OPTIONS"]`` as keyword arguments and raises
    ``ImproperlyConfigured`` only for option values that are wrong in themselves; what the
    server lacks (a library, a model file, a key) is reported by :meth:`available`, so the
    site starts and the artist is told "not available on this server: <reason>".
    """

    #: Short stable name, stored on each job.
    name: ClassVar[str]

    def available(self) -> Availability:
        return Availability(ok=True)

    @abstractmethod
    def cloak(
        self, pixels: np.ndarray, *, level: CloakLevel, seed: int | None = None
    ) -> CloakResult:
        """Cloaked pixels within ``level``'s budget, or :class:`CloakError`."""


class DisabledBackend(CloakBackend):
    """What runs when no backend is configured: nothing, and it says so."""

    name = "none"

    def __init__(self, *, reason: str = "no cloaking backend is configured on this server") -> None:
        self.reason = reason

    def available(self) -> Availability:
        return Availability(ok=False, reason=self.reason)

    def cloak(
        self, pixels: np.ndarray, *, level: CloakLevel, seed: int | None = None
    ) -> CloakResult:
        raise CloakUnavailable(self.reason)
