"""The owner watermark: the asset's identity hidden in the pixels of every variant.

Built on invisible-watermark's DWT-DCT-SVD embedder (``imwatermark``, imported without torch
by :mod:`impasto.core.watermarking`). On its own that method survives JPEG but not resizing,
so the design around it adds what an identity needs to survive a scraper:

- the payload is the 64-bit asset id, scrambled with a keyed mask (HMAC of the watermark
  key), followed by a 16-bit keyed check, protected by Reed-Solomon error correction
  (``reedsolo``, 8 parity bytes: 4 damaged bytes of 18 are repaired, or up to 8 erased
  ones); the detector reads each bit's vote margin, retries with the least certain bytes as
  erasures, and accepts a repaired word only when it differs from what was read in at most
  27 of 144 bits (noise differs in about 72) and its keyed check matches;
- the mark lives in the luma plane (chroma does not survive WebP's and JPEG's chroma
  subsampling); the block size and strength depend on the variant width (16 px blocks at
  strength 160 from 1400 px, 8 px at 60 from 480 px, 4 px at 60 below), so every variant has
  enough blocks for each bit to be voted on many times (the whole codeword is also XORed with
  a keyed whitening sequence, so that a flat image never reads as a valid word);
- the detector tries the copy at its own size, then resized to each known variant width
  and to twice its size: upsampling a downscaled copy back to the width it was marked at
  restores the block grid the mark lives on.

A visible watermark (text, position, opacity) is optional and drawn with libvips.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import cv2
import numpy as np
import pyvips
import pywt
import reedsolo

from impasto.core import watermarking  # noqa: F401 - installs the torch-free import path

# Imported after impasto.core.watermarking has put its placeholder for the torch-only module.
EmbedDwtDctSvd = importlib.import_module("imwatermark.dwtDctSvd").EmbedDwtDctSvd

ID_BYTES = 8
CHECK_BYTES = 2  # a keyed check on the id: erasure decoding of noise must not name an asset
PARITY_BYTES = 8
PAYLOAD_BITS = (ID_BYTES + CHECK_BYTES + PARITY_BYTES) * 8
METHOD = "dwtDctSvd"
STANDARD_WIDTHS = (320, 640, 1080, 1600, 2048)
MAX_ERASURES = 6
# Noise read as a codeword differs from the nearest valid one in ~72 of 144 bits (sd ~6).
MAX_BIT_ERRORS = 27
_CODEC = reedsolo.RSCodec(PARITY_BYTES)


@dataclass(frozen=True)
class Strength:
    block: int
    scale: int
    channel: int  # 0: luma (Y), 1: chroma (U)

    @property
    def scales(self) -> list[int]:
        return [self.scale if self.channel == 0 else 0, self.scale if self.channel == 1 else 0, 0]


def strength_for(width: int) -> Strength:
    if width >= 1400:
        return Strength(block=16, scale=160, channel=0)
    if width >= 480:
        return Strength(block=8, scale=60, channel=0)
    return Strength(block=4, scale=60, channel=0)


def _mask(key: bytes) -> bytes:
    return hmac.new(key, b"impasto owner watermark v1", hashlib.sha256).digest()[:ID_BYTES]


def _whitening(key: bytes) -> bytes:
    # XORed over the whole codeword so that a flat picture (all votes 0 or all 1) never reads
    # as the all-zero codeword, which Reed-Solomon considers valid.
    digest = hmac.new(key, b"impasto owner watermark whitening v1", hashlib.sha256).digest()
    return digest[: ID_BYTES + CHECK_BYTES + PARITY_BYTES]


def _check(identity: bytes, key: bytes) -> bytes:
    return hmac.new(key, b"impasto owner watermark check v1" + identity, hashlib.sha256).digest()[
        :CHECK_BYTES
    ]


def payload_bits(asset_id: int, key: bytes) -> list[int]:
    identity = asset_id.to_bytes(ID_BYTES, "big")
    scrambled = bytes(a ^ b for a, b in zip(identity, _mask(key), strict=True))
    data = scrambled + _check(identity, key)
    word = bytes(a ^ b for a, b in zip(_CODEC.encode(data), _whitening(key), strict=True))
    return [int(bit) for byte in word for bit in format(byte, "08b")]


def asset_id_from_bits(
    bits: Iterable[int], key: bytes, confidence: Iterable[float] | None = None
) -> int | None:
    """The asset id carried by ``bits``, or None.

    With ``confidence`` (how far each bit's vote was from a tie), the least certain bytes are
    also tried as erasures: Reed-Solomon repairs twice as many erased bytes as unknown errors.
    """
    values = [int(b) for b in bits]
    read = bytes(int("".join(map(str, values[i : i + 8])), 2) for i in range(0, len(values), 8))
    word = bytes(a ^ b for a, b in zip(read, _whitening(key), strict=True))
    attempts: list[list[int]] = [[]]
    if confidence is not None:
        per_bit = list(confidence)
        per_byte = [min(per_bit[i : i + 8]) for i in range(0, len(per_bit), 8)]
        order = sorted(range(len(per_byte)), key=per_byte.__getitem__)
        attempts += [sorted(order[:count]) for count in range(2, MAX_ERASURES + 1, 2)]
    for erasures in attempts:
        try:
            decoded = bytes(_CODEC.decode(word, erase_pos=erasures or None)[0])
        except reedsolo.ReedSolomonError:
            continue
        # The repaired codeword must still be close to what was read: noise repaired into
        # some valid word differs from it in about half its bits.
        codeword = bytes(_CODEC.encode(decoded))
        differing = sum((a ^ b).bit_count() for a, b in zip(codeword, word, strict=True))
        if differing > MAX_BIT_ERRORS:
            continue
        scrambled, check = decoded[:ID_BYTES], decoded[ID_BYTES:]
        identity = bytes(a ^ b for a, b in zip(scrambled, _mask(key), strict=True))
        if not hmac.compare_digest(check, _check(identity, key)):
            continue
        return int.from_bytes(identity, "big")
    return None


def _fits(width: int, height: int, strength: Strength) -> bool:
    # At least four votes per bit in the chroma plane the mark lives in.
    blocks = (height // 2 // strength.block) * (width // 2 // strength.block)
    return blocks >= 4 * PAYLOAD_BITS


def to_bgr(image: pyvips.Image) -> np.ndarray:
    rgb = image[:3] if image.bands > 3 else image
    array = np.ndarray(
        buffer=rgb.write_to_memory(), dtype=np.uint8, shape=[rgb.height, rgb.width, 3]
    )
    return np.ascontiguousarray(array[:, :, ::-1])


def from_bgr(array: np.ndarray, like: pyvips.Image) -> pyvips.Image:
    rgb = np.ascontiguousarray(np.clip(array, 0, 255).astype(np.uint8)[:, :, ::-1])
    out = pyvips.Image.new_from_memory(rgb.tobytes(), rgb.shape[1], rgb.shape[0], 3, "uchar").copy(
        interpretation="srgb"
    )
    if like.bands > 3:
        out = out.bandjoin(like[3:])
    return out


def _luma(rgb: np.ndarray) -> np.ndarray:
    # BT.601 luma, as OpenCV's YUV conversion (and so the library's decoder) computes it.
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    luma: np.ndarray = rgb.astype(np.float32) @ weights
    return luma


def embed(image: pyvips.Image, *, asset_id: int, key: bytes) -> tuple[pyvips.Image, bool]:
    """``image`` (sRGB uchar) with the owner watermark; False when it is too small to carry it.

    The library's per-frame embedder (``EmbedDwtDctSvd.encode_frame``) runs on the luma
    plane's Haar approximation, as its own ``encode`` does; we do the colour handling around
    it ourselves: only luma changes, so the change is added equally to R, G and B (exactly
    what a YUV round trip would give), in float, without the 8-bit YUV clipping of saturated
    colours and with a fraction of the memory of three float planes.
    """
    strength = strength_for(image.width)
    if not _fits(image.width, image.height, strength):
        return image, False
    embedder = EmbedDwtDctSvd(
        watermarks=payload_bits(asset_id, key),
        wmLen=PAYLOAD_BITS,
        scales=strength.scales,
        block=strength.block,
    )
    rgb_image = image[:3] if image.bands > 3 else image
    rgb = np.ndarray(
        buffer=rgb_image.write_to_memory(),
        dtype=np.uint8,
        shape=[image.height, image.width, 3],
    )
    rows, cols = image.height // 4 * 4, image.width // 4 * 4
    luma = _luma(rgb[:rows, :cols])
    approx, details = pywt.dwt2(luma, "haar")
    embedder.encode_frame(approx, strength.scale)
    delta = (pywt.idwt2((approx, details), "haar") - luma).astype(np.float32)
    del luma, approx, details
    change = pyvips.Image.new_from_memory(delta.tobytes(), cols, rows, 1, "float")
    if (cols, rows) != (image.width, image.height):
        change = change.embed(0, 0, image.width, image.height)
    marked = (rgb_image.cast("float") + change).rint().cast("uchar").copy(interpretation="srgb")
    if image.bands > 3:
        marked = marked.bandjoin(image[3:])
    return marked, True


def _decode_at(bgr: np.ndarray, key: bytes) -> int | None:
    height, width = bgr.shape[:2]
    strength = strength_for(width)
    if not _fits(width, height, strength):
        return None
    decoder = EmbedDwtDctSvd(
        watermarks=[], wmLen=PAYLOAD_BITS, scales=strength.scales, block=strength.block
    )
    # EmbedDwtDctSvd.decode, keeping each bit's mean vote instead of only its sign.
    yuv = cv2.cvtColor(bgr.astype(np.float32), cv2.COLOR_BGR2YUV)
    rows, cols = height // 4 * 4, width // 4 * 4
    plane, _details = pywt.dwt2(yuv[:rows, :cols, strength.channel], "haar")
    scores: list[list[float]] = [[] for _ in range(PAYLOAD_BITS)]
    scores = decoder.decode_frame(plane, strength.scale, scores)
    means = np.array([np.mean(votes) for votes in scores])
    return asset_id_from_bits((means > 0.5).astype(int), key, confidence=np.abs(means - 0.5))


def candidate_widths(width: int) -> list[int]:
    """Widths to try, most likely first: as is, twice as large, then each standard width."""
    ordered = [width, width * 2, *sorted(STANDARD_WIDTHS, key=lambda w: abs(w - width))]
    seen: list[int] = []
    for candidate in ordered:
        if candidate not in seen and 256 <= candidate <= 4096:
            seen.append(candidate)
    return seen


def detect(image: pyvips.Image, *, key: bytes) -> tuple[int | None, int | None]:
    """The asset id in ``image`` and the width it was read at, or (None, None)."""
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    image = image.colourspace("srgb").cast("uchar")
    if image.bands == 1:
        image = image.bandjoin([image, image])
    for width in candidate_widths(image.width):
        resized = (
            image if width == image.width else image.resize(width / image.width, kernel="cubic")
        )
        found = _decode_at(to_bgr(resized), key)
        if found is not None:
            return found, width
    return None, None


# --- the visible watermark ------------------------------------------------------------------

POSITIONS = {"top-left", "top-right", "bottom-left", "bottom-right", "centre"}


def draw_visible(image: pyvips.Image, *, text: str, position: str, opacity: int) -> pyvips.Image:
    """Draw ``text`` over ``image`` (sRGB uchar) in white with a soft dark shadow."""
    text = text.strip()
    if not text or opacity <= 0:
        return image
    height = max(12, image.width // 40)
    # libvips renders Pango markup: the artist's text is escaped so it is shown as typed.
    mask = pyvips.Image.text(escape(text), font="sans bold", height=height, width=image.width // 2)
    margin = max(8, image.width // 60)
    x = {"left": margin, "right": image.width - mask.width - margin}
    y = {"top": margin, "bottom": image.height - mask.height - margin}
    if position == "centre":
        left, top = (image.width - mask.width) // 2, (image.height - mask.height) // 2
    else:
        vertical, horizontal = position.split("-") if position in POSITIONS else ("bottom", "right")
        left, top = x[horizontal], y[vertical]
    left, top = max(0, left), max(0, top)
    alpha = mask.cast("float") / 255 * (max(0, min(opacity, 100)) / 100)
    full = alpha.embed(left, top, image.width, image.height)
    shadow = alpha.gaussblur(1.5).embed(left + 1, top + 1, image.width, image.height) * 0.6
    rgb = image[:3].cast("float")
    rgb = rgb * (1 - shadow) + shadow * 0
    rgb = rgb * (1 - full) + full * 255
    out = rgb.cast("uchar").copy(interpretation="srgb")
    if image.bands > 3:
        out = out.bandjoin(image[3:])
    return out
