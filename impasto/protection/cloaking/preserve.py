"""Keeping a cloak's pixels through the variant pipeline: which widths, which encoder settings.

Two cases need it:
- **the artist cloaked the image before upload** (Glaze, Mist, ...) and ticked "I already
  cloaked this image": the pipeline must not destroy their cloak;
- **our own cloak** on a variant: the usual lossy settings (AVIF Q55, WebP Q82, JPEG Q85)
  remove much of any perturbation this small, so cloaked variants are encoded like the above.

What the pipeline does for an artist's own cloak (docs/cloaking.md, "Already cloaked"):
1. :func:`plan_widths` says which widths to make and which of them keeps the pixels: the
   upload's own width, when it is no wider than the largest display width, is served from the
   upload's pixels exactly (no resampling, no crop). The smaller widths are resized, which
   changes the cloak, and the artist is told (:func:`kept_notice`).
2. The kept variant gets no pixel stamps (visible watermark, invisible owner watermark): they
   would change the pixels the artist asked us to keep. Metadata stamps (XMP rights, C2PA)
   do not touch pixels and stay.
3. Every variant is encoded with :func:`encoding_options` (``keep_pixels=True`` for the kept
   one): lossless WebP and AVIF, which give back the exact pixels, and JPEG at quality 98
   without chroma subsampling (JPEG cannot be lossless; browsers that take WebP or AVIF
   never get it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvips
from django.utils.translation import gettext as _

FORMATS = ("avif", "webp", "jpeg", "png")


@dataclass(frozen=True)
class WidthPlan:
    width: int
    keep_pixels: bool  # True: the upload's own pixels, unresampled, encoded losslessly


def plan_widths(*, original_width: int, widths: Sequence[int]) -> list[WidthPlan]:
    """The widths to make for an upload the artist cloaked, smallest first.

    Every display width narrower than the upload is made by resizing as usual; the upload's own
    width replaces the display widths at or above it and keeps its pixels. An upload wider
    than every display width cannot be served at its own width: all its variants are resized
    (``keep_pixels`` False everywhere), and :func:`kept_notice` tells the artist to upload at
    most the largest display width to keep the cloak intact.
    """
    if original_width < 1 or not widths:
        raise ValueError("an upload has a width, and the pipeline at least one display width")
    largest = max(widths)
    plans = [WidthPlan(w, False) for w in sorted(set(widths)) if w < min(original_width, largest)]
    if original_width <= largest:
        plans.append(WidthPlan(original_width, True))
    else:
        plans.append(WidthPlan(largest, False))
    return plans


def kept_width(plans: Sequence[WidthPlan]) -> int | None:
    return next((plan.width for plan in plans if plan.keep_pixels), None)


def kept_notice(*, kept: int | None, largest: int) -> str:
    """What the artist is told about their own cloak (shown on upload and in the cloak panel)."""
    if kept is None:
        return _(
            "Your image is wider than %(largest)s px, the largest size we show, so every size we"
            " serve is resized and your cloak is changed by it. Upload it at most %(largest)s px"
            " wide to keep your cloak exactly."
        ) % {"largest": largest}
    return _(
        "Your own cloak is kept: at %(width)s px wide (the full-size view) we serve your pixels"
        " exactly, losslessly encoded, with no watermark drawn on them. Smaller previews are"
        " resized, which changes the cloak in them."
    ) % {"width": kept}


def encoding_options(fmt: str, *, keep_pixels: bool) -> dict[str, Any]:
    """pyvips ``<format>save`` keyword arguments for a cloaked variant.

    ``keep_pixels`` (the artist's own pixels at their width, or our cloak at any width):
    lossless where the format has it. Otherwise high quality, no chroma subsampling, for the
    resized variants of an artist-cloaked upload.
    """
    if fmt not in FORMATS:
        raise ValueError(f"no preserving settings for {fmt!r}")
    if fmt == "png":
        return {"compression": 6}
    if fmt == "webp":
        # exact: keep the RGB values under fully transparent pixels too.
        return (
            {"lossless": True, "exact": True, "effort": 4}
            if keep_pixels
            else {"Q": 92, "smart_subsample": False, "effort": 4}
        )
    if fmt == "avif":
        return (
            {"lossless": True, "compression": "av1", "effort": 2}
            if keep_pixels
            else {"Q": 85, "compression": "av1", "effort": 2, "subsample_mode": "off"}
        )
    # JPEG has no lossless mode here. Measured on a fine +-3 pattern (tests/.../test_preserve.py,
    # docs/cloaking.md): Q98 without chroma subsampling keeps about three quarters of it, Q95
    # under half, the usual Q85 with 4:2:0 almost nothing.
    return {"Q": 98 if keep_pixels else 95, "subsample_mode": "off", "optimize_coding": True}


def to_vips(pixels: np.ndarray) -> pyvips.Image:
    height, width, bands = pixels.shape
    return pyvips.Image.new_from_memory(
        np.ascontiguousarray(pixels).tobytes(), width, height, bands, "uchar"
    ).copy(interpretation="srgb")


def encode(pixels: np.ndarray, fmt: str, *, keep_pixels: bool) -> bytes:
    """``pixels`` (uint8, H x W x 3 or 4) encoded with :func:`encoding_options`."""
    image = to_vips(pixels)
    options = encoding_options(fmt, keep_pixels=keep_pixels)
    if fmt == "jpeg" and image.hasalpha():
        image = image.flatten(background=[255, 255, 255]).cast("uchar")
    if fmt == "avif":
        return bytes(image.heifsave_buffer(**options))
    return bytes(getattr(image, f"{fmt}save_buffer")(**options))


def decode(data: bytes) -> np.ndarray:
    """The pixels of an encoded variant (uint8, H x W x bands): what a browser would show."""
    image = pyvips.Image.new_from_buffer(data, "")
    if image.format != "uchar":
        image = image.cast("uchar")
    return np.ndarray(
        buffer=image.write_to_memory(),
        dtype=np.uint8,
        shape=(image.height, image.width, image.bands),
    ).copy()
