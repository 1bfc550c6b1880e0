"""Keeping a cloak's pixels: the widths plan and the encoder settings, on real encoded files.

The "cloaked" upload is a generated painting plus a fixed +-3 pattern standing in for an
artist's cloak; every file is really encoded by libvips (pyvips) and decoded back.
"""

from __future__ import annotations

import numpy as np
import pytest
import pyvips

from impasto.protection.cloaking import preserve
from impasto.protection.cloaking.preserve import WidthPlan, plan_widths
from tests.protection.cloaking import builders as b

WIDTHS = (320, 640, 1080, 1600, 2048)


def cloaked_upload(width: int = 200, height: int = 150) -> tuple[np.ndarray, np.ndarray]:
    clean = b.painting(width, height, seed=3)
    pattern = np.random.default_rng(11).integers(-3, 4, clean.shape)
    return clean, np.clip(clean.astype(int) + pattern, 0, 255).astype(np.uint8)


def test_the_uploads_own_width_keeps_its_pixels_and_smaller_widths_are_resized() -> None:
    assert plan_widths(original_width=1200, widths=WIDTHS) == [
        WidthPlan(320, False),
        WidthPlan(640, False),
        WidthPlan(1080, False),
        WidthPlan(1200, True),
    ]
    assert plan_widths(original_width=1080, widths=WIDTHS)[-2:] == [
        WidthPlan(640, False),
        WidthPlan(1080, True),
    ]
    assert plan_widths(original_width=200, widths=WIDTHS) == [WidthPlan(200, True)]
    assert plan_widths(original_width=2048, widths=WIDTHS)[-1] == WidthPlan(2048, True)


def test_an_upload_wider_than_every_display_width_cannot_keep_its_pixels() -> None:
    plans = plan_widths(original_width=4000, widths=WIDTHS)
    assert [p.width for p in plans] == list(WIDTHS)
    assert not any(p.keep_pixels for p in plans)
    assert preserve.kept_width(plans) is None
    notice = preserve.kept_notice(kept=None, largest=2048)
    assert "Upload it at most 2048 px wide" in notice


def test_the_artist_is_told_what_is_kept() -> None:
    plans = plan_widths(original_width=1200, widths=WIDTHS)
    notice = preserve.kept_notice(kept=preserve.kept_width(plans), largest=2048)
    assert "at 1200 px wide" in notice
    assert "exactly" in notice
    assert "Smaller previews are resized" in notice


@pytest.mark.parametrize("fmt", ["webp", "avif", "png"])
def test_lossless_formats_give_back_the_exact_pixels_at_the_kept_width(fmt) -> None:
    _clean, upload = cloaked_upload()
    data = preserve.encode(upload, fmt, keep_pixels=True)
    back = preserve.decode(data)
    assert back.shape == upload.shape
    assert np.array_equal(back, upload)


def test_lossless_webp_keeps_alpha_and_the_colour_under_it() -> None:
    _clean, upload = cloaked_upload(64, 48)
    alpha = np.full((48, 64, 1), 255, np.uint8)
    alpha[:10] = 0  # fully transparent rows: their colour must survive too ("exact")
    rgba = np.concatenate([upload, alpha], axis=2)
    assert np.array_equal(preserve.decode(preserve.encode(rgba, "webp", keep_pixels=True)), rgba)


def cloak_kept(clean: np.ndarray, upload: np.ndarray, decoded: np.ndarray) -> float:
    """How much of the cloak pattern is left: correlation of what came back with it."""
    pattern = (upload.astype(float) - clean).ravel()
    residual = (decoded[..., :3].astype(float) - clean).ravel()
    return float(np.corrcoef(pattern, residual)[0, 1])


def test_jpeg_at_the_preserving_settings_keeps_far_more_of_a_cloak_than_the_usual_ones() -> None:
    clean, upload = cloaked_upload()
    kept = preserve.decode(preserve.encode(upload, "jpeg", keep_pixels=True))
    usual = preserve.decode(
        bytes(preserve.to_vips(upload).jpegsave_buffer(Q=85, optimize_coding=True))
    )
    assert cloak_kept(clean, upload, kept) > 0.6
    assert cloak_kept(clean, upload, usual) < 0.2
    assert np.abs(kept.astype(int) - upload).mean() < 1.5


def test_resized_variants_use_high_quality_settings() -> None:
    assert preserve.encoding_options("avif", keep_pixels=False)["subsample_mode"] == "off"
    assert preserve.encoding_options("webp", keep_pixels=False)["Q"] >= 90
    assert preserve.encoding_options("webp", keep_pixels=True)["lossless"] is True
    with pytest.raises(ValueError, match="gif"):
        preserve.encoding_options("gif", keep_pixels=True)
    # Options are the real keyword arguments of libvips' savers.
    _clean, upload = cloaked_upload(32, 24)
    image = preserve.to_vips(upload)
    for fmt in ("webp", "jpeg", "png"):
        getattr(image, f"{fmt}save_buffer")(**preserve.encoding_options(fmt, keep_pixels=False))
    image.heifsave_buffer(**preserve.encoding_options("avif", keep_pixels=False))
    assert isinstance(image, pyvips.Image)
