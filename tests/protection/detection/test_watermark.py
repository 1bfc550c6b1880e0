"""Stable Diffusion watermark thresholds, and the transforms that (rightly) defeat them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from impasto.protection.detection.base import Strength
from impasto.protection.detection.detectors.watermark import (
    SD1,
    SD2,
    SDXL,
    StableDiffusionWatermarkDetector,
    matching_bits,
)
from impasto.protection.detection.subject import Subject
from tests.protection.detection import builders as b

DETECTOR = StableDiffusionWatermarkDetector()


def _bgr(image: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _evidence(data: bytes) -> list[tuple[str, Strength | None]]:
    return [(e.detail, e.strength) for e in DETECTOR.detect(Subject(data))]


@pytest.mark.parametrize(
    ("pattern", "below", "weak_band", "at"),
    [(SDXL, 33, (34, 35), 36), (SD1, 109, None, 110), (SD2, 28, None, 29)],
)
def test_thresholds_of_each_pattern(pattern, below, weak_band, at) -> None:
    assert pattern.strength(below) is None
    assert pattern.strength(at) is Strength.STRONG
    assert pattern.strength(len(pattern.bits)) is Strength.STRONG
    if weak_band:
        assert all(pattern.strength(n) is Strength.WEAK for n in weak_band)
    assert len(pattern.bits) == {"SDXL": 48, "SD 1.x": 136, "SD 2.x": 32}[pattern.model]


def test_sdxl_payload_is_the_upstream_constant() -> None:
    assert int("".join(map(str, SDXL.bits)), 2) == 0xB3EC907BB19E
    assert bytes(np.packbits(SD1.bits)) == b"StableDiffusionV1"
    assert bytes(np.packbits(SD2.bits)) == b"SDV2"


@pytest.mark.parametrize(
    ("bits", "pattern"), [(b.SDXL_BITS, SDXL), (b.SD1_BITS, SD1), (b.SD2_BITS, SD2)]
)
def test_each_watermark_is_found_above_its_threshold_and_no_other(bits, pattern) -> None:
    marked = b.encode(b.watermarked(bits), "PNG")
    found = _evidence(marked)
    assert len(found) == 1, found
    detail, strength = found[0]
    assert strength is Strength.STRONG
    assert detail.startswith(f"{pattern.model} watermark:")
    assert matching_bits(_bgr(Image.open(io.BytesIO(marked))), pattern) >= pattern.strong_at


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda im: im.resize((256, 256)), id="half-size"),
        pytest.param(lambda im: im.crop((16, 16, 512, 512)), id="crop-16px"),
    ],
)
@pytest.mark.parametrize("bits", [b.SDXL_BITS, b.SD1_BITS, b.SD2_BITS])
def test_resizing_or_cropping_destroys_the_watermark(transform, bits) -> None:
    """The documented non-robustness: only the original at its size can show it."""
    copy = transform(b.watermarked(bits))
    assert _evidence(b.encode(copy, "PNG")) == []


def test_a_high_quality_jpeg_keeps_the_sdxl_watermark() -> None:
    marked = b.encode(b.watermarked(b.SDXL_BITS), "JPEG", quality=95)
    assert [strength for _, strength in _evidence(marked)] == [Strength.STRONG]


@pytest.mark.parametrize("colour", [(214, 96, 60), (255, 255, 255), (0, 0, 0), (128, 128, 128)])
def test_flat_colour_pictures_do_not_false_positive(colour) -> None:
    picture = b.flat(512, colour)
    assert _evidence(b.encode(picture, "PNG")) == []
    for pattern in (SDXL, SD1, SD2):
        assert matching_bits(_bgr(picture), pattern) < (pattern.weak_at or pattern.strong_at)


@pytest.mark.parametrize("seed", range(100, 108))
def test_unmarked_textured_pictures_stay_near_chance(seed) -> None:
    assert _evidence(b.encode(b.painting(seed, 512), "PNG")) == []


def test_small_pictures_and_pictures_over_the_pixel_cap_are_not_decoded() -> None:
    small = b.encode(b.watermarked(b.SDXL_BITS, size=512).resize((255, 255)), "PNG")
    assert _evidence(small) == []
    marked = Subject(b.encode(b.watermarked(b.SDXL_BITS), "PNG"), max_pixels=512 * 512 - 1)
    assert list(DETECTOR.detect(marked)) == []
    assert "_pixels" not in vars(marked)  # nothing was decoded
    bigger_than_generators_make = Subject(b.encode(b.watermarked(b.SDXL_BITS), "PNG"))
    assert (
        list(
            StableDiffusionWatermarkDetector(max_pixels=512 * 511).detect(
                bigger_than_generators_make
            )
        )
        == []
    )
    assert "_pixels" not in vars(bigger_than_generators_make)
