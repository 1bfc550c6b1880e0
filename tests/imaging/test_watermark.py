"""The vectorised owner watermark against invisible-watermark's own per-block loop.

Variants stored before the embedder was vectorised were marked by the library's
``EmbedDwtDctSvd.encode_frame``; these tests keep both directions readable and the marks
numerically the same.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import pyvips
import pywt

from impasto.core import watermarking  # noqa: F401 - the torch-free import path
from impasto.demo.artwork import artwork
from impasto.imaging.pipeline import watermark

EmbedDwtDctSvd = importlib.import_module("imwatermark.dwtDctSvd").EmbedDwtDctSvd
KEY = b"test-watermark-key"
ASSET = 7_311_829_004_553_217_024


def _rgb(image: pyvips.Image) -> np.ndarray:
    return np.ndarray(
        buffer=image.write_to_memory(), dtype=np.uint8, shape=[image.height, image.width, 3]
    )


def _luma(rgb: np.ndarray) -> np.ndarray:
    luma: np.ndarray = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return luma


def library_embed(image: pyvips.Image, asset_id: int) -> pyvips.Image:
    """The embedder as it was: the library's loop on the luma plane's Haar approximation."""
    strength = watermark.strength_for(image.width)
    embedder = EmbedDwtDctSvd(
        watermarks=watermark.payload_bits(asset_id, KEY),
        wmLen=watermark.PAYLOAD_BITS,
        scales=strength.scales,
        block=strength.block,
    )
    rgb = _rgb(image)
    rows, cols = image.height // 4 * 4, image.width // 4 * 4
    luma = _luma(rgb[:rows, :cols])
    approx, details = pywt.dwt2(luma, "haar")
    embedder.encode_frame(approx, strength.scale)
    delta = pywt.idwt2((approx, details), "haar") - luma
    out = rgb.astype(np.float32)
    out[:rows, :cols] += delta[:, :, None]
    marked = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return pyvips.Image.new_from_memory(marked.tobytes(), image.width, image.height, 3, "uchar")


def library_votes(image: pyvips.Image) -> np.ndarray:
    """Each bit's mean vote as the library's ``decode_frame`` reads it."""
    strength = watermark.strength_for(image.width)
    decoder = EmbedDwtDctSvd(
        watermarks=[], wmLen=watermark.PAYLOAD_BITS, scales=strength.scales, block=strength.block
    )
    rows, cols = image.height // 4 * 4, image.width // 4 * 4
    luma = _luma(_rgb(image)[:rows, :cols])
    plane, _details = pywt.dwt2(luma, "haar")
    scores: list[list[float]] = [[] for _ in range(watermark.PAYLOAD_BITS)]
    scores = decoder.decode_frame(plane, strength.scale, scores)
    return np.array([np.mean(votes) for votes in scores])


@pytest.mark.parametrize(("width", "height"), [(1500, 1000), (1080, 721), (321, 214)])
def test_the_marks_are_the_librarys(width, height):
    image = artwork(3, width, height)
    ours, marked = watermark.embed(image, asset_id=ASSET, key=KEY)
    assert marked
    theirs = library_embed(image, ASSET)
    difference = np.abs(_rgb(ours).astype(int) - _rgb(theirs).astype(int))
    # Float rounding only: a pixel now and then lands on the other side of .5.
    assert difference.max() <= 1
    assert difference.mean() < 0.01
    assert not np.array_equal(_rgb(ours), _rgb(image))


@pytest.mark.parametrize("width", [1500, 1080, 320])
def test_marks_written_either_way_are_read_either_way(width):
    image = artwork(4, width, round(width * 2 / 3))
    ours, _marked = watermark.embed(image, asset_id=ASSET, key=KEY)
    theirs = library_embed(image, ASSET)
    for marked in (ours, theirs):
        assert watermark.detect(marked, key=KEY) == (ASSET, width)
        strength = watermark.strength_for(width)
        approx, _rows, _cols = watermark._luma_approx(marked)
        np.testing.assert_allclose(watermark._votes(approx, strength), library_votes(marked))


def test_a_library_marked_variant_is_found_after_half_size_and_jpeg_75():
    marked = library_embed(artwork(5, 1600, 1066), ASSET)
    served = pyvips.Image.new_from_buffer(marked.webpsave_buffer(Q=82), "")
    scraped = pyvips.Image.new_from_buffer(served.resize(0.5).jpegsave_buffer(Q=75), "")
    assert watermark.detect(scraped, key=KEY)[0] == ASSET


def test_unmarked_pictures_name_no_one():
    for width in (1500, 640):
        assert watermark.detect(artwork(6, width, width * 2 // 3), key=KEY) == (None, None)


def test_black_areas_get_the_librarys_flat_change_not_a_dot():
    image = artwork(8, 1080, 720).draw_rect([0, 0, 0], 0, 0, 540, 720, fill=True)
    ours, _marked = watermark.embed(image, asset_id=ASSET, key=KEY)
    theirs = library_embed(image, ASSET)
    black = _rgb(ours)[:, :500].astype(int)
    # The library lifts a black block evenly (its DC): no pixel stands out.
    assert black.max() - black.min() <= 2
    assert np.abs(_rgb(ours).astype(int) - _rgb(theirs).astype(int)).max() <= 1
    assert watermark.detect(ours, key=KEY)[0] == ASSET
