"""The artist's choice (off, low, default, high) and the budget each level stands for.

A budget bounds a cloak three ways, all checked on the final 8-bit pixels:
- ``epsilon``: the largest change of any channel of any pixel (L-infinity, in 0-255 steps);
- ``min_ssim``: the structural similarity (SSIM) to the variant, at least this;
- ``min_psnr``: the peak signal-to-noise ratio in dB, at least this.
``steps`` caps the built-in backend's optimisation (each step is one pass through the encoder
and back). The numbers are in docs/cloaking.md with what they look like; the SSIM and PSNR
floors sit below what the L-infinity bound alone allows on textured pictures, so on those the
epsilon decides, while on flat pictures (where noise shows most) the floors shrink the cloak.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CloakLevel(models.TextChoices):
    OFF = "off", _("Off")
    LOW = "low", _("Low")
    DEFAULT = "default", _("Default")
    HIGH = "high", _("High")


@dataclass(frozen=True)
class Budget:
    epsilon: int  # L-infinity bound, in 0-255 steps of one channel
    min_ssim: float
    min_psnr: float  # dB
    steps: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "epsilon": self.epsilon,
            "min_ssim": self.min_ssim,
            "min_psnr": self.min_psnr,
            "steps": self.steps,
        }


BUDGETS: dict[str, Budget] = {
    CloakLevel.LOW: Budget(epsilon=4, min_ssim=0.95, min_psnr=38.0, steps=30),
    CloakLevel.DEFAULT: Budget(epsilon=8, min_ssim=0.90, min_psnr=33.0, steps=60),
    CloakLevel.HIGH: Budget(epsilon=16, min_ssim=0.80, min_psnr=27.0, steps=100),
}


def budget_for(level: str) -> Budget:
    """The budget of ``level``; ``off`` has none (there is nothing to cloak)."""
    try:
        return BUDGETS[CloakLevel(level)]
    except (KeyError, ValueError):
        raise ValueError(f"no cloak budget for level {level!r}") from None
