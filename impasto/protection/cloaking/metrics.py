"""SSIM, PSNR and L-infinity of a cloak, and shrinking a cloak until it fits its budget.

SSIM and PSNR come from scikit-image (``skimage.metrics``) on the 8-bit RGB pixels: SSIM with
its default 7 x 7 uniform window over each channel (``channel_axis=2``), averaged; PSNR on the
mean squared error over all channels, with a data range of 255.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from impasto.protection.cloaking.levels import Budget

#: What PSNR is reported as for identical pictures (the true value is infinite).
PSNR_IDENTICAL = 100.0
#: Bisection rounds when shrinking a cloak: the scale is then known to within 1/256.
SHRINK_ROUNDS = 8


@dataclass(frozen=True)
class Measure:
    ssim: float
    psnr: float
    linf: int

    def within(self, budget: Budget) -> bool:
        return (
            self.linf <= budget.epsilon
            and self.ssim >= budget.min_ssim
            and self.psnr >= budget.min_psnr
        )

    def shortfall(self, budget: Budget) -> str:
        """What is over budget, in words ("" when nothing is)."""
        problems = []
        if self.linf > budget.epsilon:
            problems.append(f"a pixel changed by {self.linf} > {budget.epsilon}")
        if self.ssim < budget.min_ssim:
            problems.append(f"SSIM {self.ssim:.3f} < {budget.min_ssim:.2f}")
        if self.psnr < budget.min_psnr:
            problems.append(f"PSNR {self.psnr:.1f} dB < {budget.min_psnr:.0f} dB")
        return ", ".join(problems)


def measure(original: np.ndarray, cloaked: np.ndarray) -> Measure:
    if original.shape != cloaked.shape:
        raise ValueError(f"shapes differ: {original.shape} and {cloaked.shape}")
    diff = np.abs(original.astype(np.int16) - cloaked.astype(np.int16))
    linf = int(diff.max()) if diff.size else 0
    if linf == 0:
        return Measure(ssim=1.0, psnr=PSNR_IDENTICAL, linf=0)
    # scikit-image is untyped: its metrics return floats.
    ssim = float(
        structural_similarity(  # type: ignore[no-untyped-call]
            original, cloaked, channel_axis=2, data_range=255
        )
    )
    psnr = float(peak_signal_noise_ratio(original, cloaked, data_range=255))  # type: ignore[no-untyped-call]
    return Measure(ssim=ssim, psnr=min(psnr, PSNR_IDENTICAL), linf=linf)


def scaled(original: np.ndarray, delta: np.ndarray, scale: float) -> np.ndarray:
    """``original + scale * delta``, rounded and clipped to 8 bits."""
    values = original.astype(np.float32) + np.float32(scale) * delta
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def fit_to_budget(
    original: np.ndarray, cloaked: np.ndarray, budget: Budget
) -> tuple[np.ndarray, Measure, float]:
    """The cloak scaled down (never up) until it is within ``budget``.

    Returns the pixels, their measure and the scale kept (1.0 when the cloak already fit).
    SSIM and PSNR fall as the perturbation grows, so a bisection on the scale finds the largest
    one that fits; the L-infinity bound is enforced first by clipping.
    """
    delta = cloaked.astype(np.float32) - original.astype(np.float32)
    delta = np.clip(delta, -budget.epsilon, budget.epsilon)
    first = scaled(original, delta, 1.0)
    found = measure(original, first)
    if found.within(budget):
        return first, found, 1.0
    low, high = 0.0, 1.0
    best, best_measure = original.copy(), measure(original, original)
    for _ in range(SHRINK_ROUNDS):
        middle = (low + high) / 2
        candidate = scaled(original, delta, middle)
        found = measure(original, candidate)
        if found.within(budget):
            low, best, best_measure = middle, candidate, found
        else:
            high = middle
    return best, best_measure, low
