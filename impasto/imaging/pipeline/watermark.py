"""The owner watermark: the asset's identity hidden in the pixels of every variant.

The mark is invisible-watermark's DWT-DCT-SVD method (``imwatermark.dwtDctSvd``), computed
here with numpy over all blocks at once instead of the library's Python loop over each
block (the same marks, read both ways: ``tests/imaging/test_watermark.py``). On its own that
method survives JPEG but not resizing, so the design around it adds what an identity needs
to survive a scraper:

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
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import pyvips
import reedsolo

ID_BYTES = 8
CHECK_BYTES = 2  # a keyed check on the id: erasure decoding of noise must not name an asset
PARITY_BYTES = 8
PAYLOAD_BITS = (ID_BYTES + CHECK_BYTES + PARITY_BYTES) * 8
METHOD = "dwtDctSvd"
STANDARD_WIDTHS = (320, 640, 1080, 1600, 2048)
MAX_ERASURES = 6
POWER_STEPS = 8  # then any tile not converged gets an exact eigen decomposition
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


def _blocks(plane: np.ndarray, block: int) -> np.ndarray:
    """The whole ``block`` x ``block`` tiles of ``plane``, row by row: shape (count, block, block).

    The order is the library's (``num`` in its loops): tile ``n`` carries payload bit
    ``n % PAYLOAD_BITS``.
    """
    rows, cols = plane.shape[0] // block, plane.shape[1] // block
    tiles = plane[: rows * block, : cols * block].reshape(rows, block, cols, block)
    return tiles.transpose(0, 2, 1, 3).reshape(rows * cols, block, block)


def _luma_approx(image: pyvips.Image) -> tuple[np.ndarray, int, int]:
    """The Haar approximation of the BT.601 luma of ``image``'s top-left multiple-of-4 area.

    Luma as OpenCV's YUV conversion (the library's) computes it; the approximation is
    ``pywt.dwt2(luma, "haar")[0]``, each 2x2 square's sum over 2, that is twice its mean.
    libvips computes both in one pass without a full-size float plane in memory.
    """
    rows, cols = image.height // 4 * 4, image.width // 4 * 4
    rgb = image[:3] if image.bands > 3 else image
    luma = rgb.crop(0, 0, cols, rows).recomb([[0.299, 0.587, 0.114]])
    approx = (luma.shrink(2, 2) * 2).cast("float")
    plane = np.ndarray(
        buffer=approx.write_to_memory(), dtype=np.float32, shape=[rows // 2, cols // 2]
    )
    return plane, rows, cols


def _top_singular(tiles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each tile's largest singular value and its left and right singular vectors.

    Power iteration on each tile's b x b Gram matrix, from the flat vector (a picture block's
    top direction is close to its mean): on picture blocks it converges in a few steps, and a
    tile that has not (two nearly equal singular values) gets an exact eigen decomposition.
    Together about a seventh of the time of a full SVD of every tile.

    A black tile has no direction of its own: the library's SVD of its (zero) DCT returns the
    identity, so its change is the DCT's first (flat) basis function; the flat vector gives
    the same here, where a spatial SVD would put it all on one pixel.
    """
    block = tiles.shape[-1]
    wide = tiles.astype(np.float64)
    gram = wide.transpose(0, 2, 1) @ wide
    right = np.full((len(tiles), block, 1), 1 / np.sqrt(block))
    for _ in range(POWER_STEPS):
        right = gram @ right
        right /= np.maximum(np.linalg.norm(right, axis=1, keepdims=True), 1e-300)
    moved = gram @ right
    value = (right * moved).sum(axis=1, keepdims=True)
    residual = np.linalg.norm(moved - value * right, axis=1) / np.maximum(value[:, 0], 1e-300)
    slow = residual[:, 0] > 1e-9
    if slow.any():
        values, vectors = np.linalg.eigh(gram[slow])
        right[slow, :, 0] = vectors[:, :, -1]
        value[slow, 0, 0] = values[:, -1]
    largest = np.sqrt(np.maximum(value[:, 0, 0], 0.0))
    right = right[:, :, 0]
    flat = largest < 1e-6
    safe = np.where(flat, 1.0, largest)
    left = (wide @ right[:, :, None])[:, :, 0] / safe[:, None]
    left[flat] = right[flat] = 1 / np.sqrt(block)
    return largest.astype(np.float32), left.astype(np.float32), right.astype(np.float32)


def embed(image: pyvips.Image, *, asset_id: int, key: bytes) -> tuple[pyvips.Image, bool]:
    """``image`` (sRGB uchar) with the owner watermark; False when it is too small to carry it.

    The mark is the one invisible-watermark's ``EmbedDwtDctSvd.encode_frame`` writes in the
    luma plane's Haar approximation (blocks of the approximation, DCT, largest singular value
    quantised to the bit), computed for all blocks at once. Two identities make that cheap:
    the DCT is orthonormal, so a block and its DCT have the same singular values and the
    library's change (``s0`` moved, then the inverse DCT) is ``(s0' - s0) * u0 v0^T`` on the
    block itself; and the inverse Haar transform spreads a change ``d`` of an approximation
    coefficient as ``d / 2`` on each of its 2x2 pixels. Only luma changes, so the change is
    added equally to R, G and B (what the library's YUV round trip gives), without its 8-bit
    YUV clipping of saturated colours. ``tests/imaging/test_watermark.py`` checks the
    result against the library's own loop.
    """
    strength = strength_for(image.width)
    if not _fits(image.width, image.height, strength):
        return image, False
    approx, rows, cols = _luma_approx(image)
    tiles = _blocks(approx, strength.block)
    bits = np.resize(np.array(payload_bits(asset_id, key), dtype=np.float32), len(tiles))
    largest, left, right = _top_singular(tiles)
    scale = np.float32(strength.scale)
    wanted = (largest // scale + np.float32(0.25) + np.float32(0.5) * bits) * scale
    change_tiles = (wanted - largest)[:, None, None] * left[:, :, None] * right[:, None, :]
    # Back from tiles to the plane (the same row-by-row order), halved for the inverse Haar,
    # and rounded: an 8-bit pixel plus a rounded change is the rounded sum (but for ties),
    # and short integers are cheaper for libvips to add than float.
    block = strength.block
    tile_rows, tile_cols = approx.shape[0] // block, approx.shape[1] // block
    change = np.zeros(approx.shape, dtype=np.int16)
    change[: tile_rows * block, : tile_cols * block] = np.rint(
        (change_tiles * np.float32(0.5))
        .reshape(tile_rows, tile_cols, block, block)
        .transpose(0, 2, 1, 3)
        .reshape(tile_rows * block, tile_cols * block)
    )
    delta = pyvips.Image.new_from_memory(change.data, cols // 2, rows // 2, 1, "short").zoom(2, 2)
    if (cols, rows) != (image.width, image.height):
        delta = delta.embed(0, 0, image.width, image.height)
    rgb_image = image[:3] if image.bands > 3 else image
    # cast clips to 0..255, as the library's conversion back to 8 bits does.
    marked = (rgb_image + delta).cast("uchar").copy(interpretation="srgb")
    if image.bands > 3:
        marked = marked.bandjoin(image[3:])
    return marked, True


def _votes(approx: np.ndarray, strength: Strength) -> np.ndarray:
    """Each payload bit's mean vote (0 to 1) over the blocks of ``approx`` that carry it."""
    tiles = _blocks(approx, strength.block)
    largest = _top_singular(tiles)[0]
    votes = (largest % strength.scale > strength.scale * 0.5).astype(np.float64)
    slots = np.arange(len(tiles)) % PAYLOAD_BITS
    means: np.ndarray = np.bincount(slots, weights=votes, minlength=PAYLOAD_BITS) / np.bincount(
        slots, minlength=PAYLOAD_BITS
    )
    return means


def _decode_at(image: pyvips.Image, key: bytes) -> int | None:
    strength = strength_for(image.width)
    if not _fits(image.width, image.height, strength):
        return None
    approx, _rows, _cols = _luma_approx(image)
    means = _votes(approx, strength)
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
        found = _decode_at(resized, key)
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
