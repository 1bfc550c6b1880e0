"""Perceptual hashing and the torch-free watermark import, on real images made here."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageFilter

from impasto.core import perceptual


def _painting(seed: int, size: int = 512) -> Image.Image:
    rng = np.random.default_rng(seed)
    noise = (rng.random((size // 16, size // 16, 3)) * 255).astype(np.uint8)
    return (
        Image.fromarray(noise)
        .resize((size, size), Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(2))
    )


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_a_recompressed_and_halved_copy_matches_its_original() -> None:
    original = perceptual.compute(_painting(1))
    copy = _jpeg(_painting(1), 60).resize((256, 256))
    assert perceptual.matches(original, perceptual.compute(copy))


def test_unrelated_pictures_do_not_match() -> None:
    assert not perceptual.matches(
        perceptual.compute(_painting(1)), perceptual.compute(_painting(2))
    )


def test_a_flat_picture_has_no_pdq_hash_and_falls_back_to_phash() -> None:
    flat = perceptual.compute(Image.new("RGB", (300, 300), (200, 80, 40)))
    assert flat.pdq is None
    assert len(flat.phash) == 16


def test_watermark_methods_work_without_torch() -> None:
    from impasto.core.watermarking import WatermarkDecoder, WatermarkEncoder

    # In a fresh interpreter: the cloaking tests load torch into this one (it is installed for
    # them), and what matters is that importing the watermark module does not.
    probe = "import sys, impasto.core.watermarking; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
    bgr = np.asarray(_painting(3))[:, :, ::-1].copy()
    bits = [int(b) for b in bin(0xB3EC907BB19E)[2:]]
    encoder = WatermarkEncoder()
    encoder.set_watermark("bits", bits)
    marked = encoder.encode(bgr, "dwtDct")
    decoded = WatermarkDecoder("bits", len(bits)).decode(marked, "dwtDct")
    assert sum(int(a == b) for a, b in zip(decoded, bits, strict=True)) >= 44
    with pytest.raises(RuntimeError, match="torch"):
        encoder.encode(bgr, "rivaGan")
