"""The invisible watermarks Stable Diffusion's reference code embeds (DWT-DCT).

Payloads and thresholds (../shared/ANTI-AI.md A4, from the upstream sources):

| model | payload | bits | strong at | chance level |
| --- | --- | --- | --- | --- |
| SDXL (generative-models, diffusers) | ``0xB3EC907BB19E`` | 48 | >= 36 matching | 24 |
| SD 1.x (CompVis txt2img) | bytes ``StableDiffusionV1`` | 136 | >= 110 | 68 |
| SD 2.x (Stability txt2img) | bytes ``SDV2`` | 32 | >= 29 | 16 |

SDXL at 34-35 bits is weak: upstream's ``detect.py`` calls it "likely", with 0.02% of real
images reaching it, which on a busy site is a person a day wrongly flagged if it held the work.

Bits are compared one by one, never as decoded bytes (a few bit errors garble the string while
most bits still match). The watermark does not survive resizing, cropping or most JPEG
re-encoding, and most front-ends (AUTOMATIC1111, ComfyUI) never embed it, so its absence says
nothing: it is a positive signal only. It is decoded on the original pixels at their original
size, only when both sides are at least 256 px (the decoder's minimum) and the picture has at
most ``max_pixels`` (default 2048 x 2048). The generators write it at their output size (SD 1.x
and 2.x at 512-768 px, SDXL around one megapixel, an upscaling script at most 2048 px a side);
anything larger has been resized since (which erased the mark) or is a camera photo, and the
decoder costs about 0.3 s of CPU per megapixel for the three patterns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from impasto.core.watermarking import WatermarkDecoder
from impasto.protection.detection import vocab
from impasto.protection.detection.base import Detector, Evidence, Strength, strong, weak
from impasto.protection.detection.subject import Subject

MIN_SIDE = 256


def _bits_of_bytes(payload: bytes) -> tuple[int, ...]:
    return tuple(int(bit) for byte in payload for bit in format(byte, "08b"))


@dataclass(frozen=True)
class Pattern:
    model: str
    bits: tuple[int, ...]
    strong_at: int
    weak_at: int | None = None

    def strength(self, matching: int) -> Strength | None:
        if matching >= self.strong_at:
            return Strength.STRONG
        if self.weak_at is not None and matching >= self.weak_at:
            return Strength.WEAK
        return None


SDXL = Pattern("SDXL", tuple(int(b) for b in bin(0xB3EC907BB19E)[2:]), strong_at=36, weak_at=34)
SD1 = Pattern("SD 1.x", _bits_of_bytes(b"StableDiffusionV1"), strong_at=110)
SD2 = Pattern("SD 2.x", _bits_of_bytes(b"SDV2"), strong_at=29)
PATTERNS = (SDXL, SD1, SD2)


def matching_bits(bgr: np.ndarray, pattern: Pattern) -> int:
    decoded = WatermarkDecoder("bits", len(pattern.bits)).decode(bgr, "dwtDct")
    return int(np.sum(np.asarray(decoded, dtype=np.uint8) == np.asarray(pattern.bits)))


class StableDiffusionWatermarkDetector(Detector):
    name = "sd-watermark"

    def __init__(self, *, max_pixels: int = 2048 * 2048) -> None:
        self.max_pixels = max_pixels

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        width, height = subject.size
        if (
            min(width, height) < MIN_SIDE
            or subject.pixel_count > self.max_pixels
            or not subject.pixels_allowed()
        ):
            return []
        rgb = subject.pixels()[:, :, :3]
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # the encoder worked on OpenCV's BGR
        found: list[Evidence] = []
        for pattern in PATTERNS:
            matching = matching_bits(bgr, pattern)
            strength = pattern.strength(matching)
            detail = (
                f"{pattern.model} watermark: {matching}/{len(pattern.bits)} bits match"
                f" (strong at {pattern.strong_at})"
            )
            if strength is Strength.STRONG:
                found.append(strong(vocab.SD_WATERMARK, detail))
            elif strength is Strength.WEAK:
                found.append(weak(vocab.SD_WATERMARK, detail))
        return found
