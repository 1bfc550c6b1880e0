"""Perceptual hashes: how the same picture is recognised after re-encoding or resizing.

Two hashes per image, as ../shared/ANTI-AI.md (B3) recommends:
- pHash (64-bit DCT hash, ``imagehash``): near-duplicates within a Hamming distance of ~8-10;
- PDQ (Meta's 256-bit hash, ``pdqhash``): match within 31 bits, and only when the hash's
  quality is above 49 (flat images give meaningless PDQ hashes).
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
import pdqhash
from PIL import Image

PHASH_MATCH = 10
PDQ_MATCH = 31
PDQ_MIN_QUALITY = 50


@dataclass(frozen=True)
class PerceptualHashes:
    phash: str  # 16 hex digits
    pdq: str | None  # 64 hex digits, None when the image is too flat for PDQ to mean anything
    pdq_quality: int


def compute(image: Image.Image | np.ndarray) -> PerceptualHashes:
    """Hashes of an RGB image (a Pillow image, or an H x W x 3 uint8 array)."""
    pil = image if isinstance(image, Image.Image) else Image.fromarray(image)
    rgb = pil.convert("RGB")
    phash = str(imagehash.phash(rgb))
    vector, quality = pdqhash.compute(np.asarray(rgb))
    pdq = _bits_to_hex(vector) if quality >= PDQ_MIN_QUALITY else None
    return PerceptualHashes(phash=phash, pdq=pdq, pdq_quality=int(quality))


def _bits_to_hex(bits: np.ndarray) -> str:
    return bytes(np.packbits(bits.astype(np.uint8))).hex()


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes of the same length."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def matches(a: PerceptualHashes, b: PerceptualHashes) -> bool:
    """The same picture, as far as the hashes can tell (PDQ when both have one, else pHash)."""
    if a.pdq and b.pdq:
        return hamming(a.pdq, b.pdq) <= PDQ_MATCH
    return hamming(a.phash, b.phash) <= PHASH_MATCH
