"""NovelAI's "stealth" copy of its metadata, hidden in the alpha channel's lowest bits.

Layout (https://github.com/NovelAI/novelai-image-metadata, as ../shared/ANTI-AI.md A3 checked
against three independent readers): one bit per pixel, ``alpha & 1``, read column by column
(x outer, y inner); 15 bytes of magic, ``stealth_pngcomp`` (gzip-compressed JSON follows) or
``stealth_pnginfo`` (plain); a 32-bit big-endian payload length *in bits*; the payload.

The 120-bit magic cannot appear by chance (an opaque image reads as all ones), so finding it is
strong evidence even when the payload is damaged. The chunk-based copy of the same record is
handled by the generator-parameters detector; this one survives tools that drop text chunks but
keep pixels (PNG optimisers, some uploaders). It needs decoded pixels, so it runs only on images
with an alpha channel and at most ``max_pixels`` (default 16 megapixels: NovelAI's largest
upscaled outputs are about 6).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable

import numpy as np

from impasto.protection.detection import vocab
from impasto.protection.detection.base import Detector, Evidence, strong
from impasto.protection.detection.subject import Subject

MAGICS = {b"stealth_pngcomp": True, b"stealth_pnginfo": False}  # magic -> compressed
MAGIC_BITS = 120
LENGTH_BITS = 32
MAX_PAYLOAD_BYTES = 1 << 20


def read_stealth(alpha: np.ndarray) -> tuple[str, dict[str, object] | None] | None:
    """(magic, payload or None when unreadable) from an H x W alpha plane, or None."""
    if alpha.size < MAGIC_BITS + LENGTH_BITS:
        return None
    # Column-major: transpose so a row-major flatten walks x outer, y inner. Only the first
    # bits are materialised until the magic matches.
    columns = alpha.T
    head = np.packbits(columns.reshape(-1)[: MAGIC_BITS + LENGTH_BITS] & 1).tobytes()
    magic = head[: MAGIC_BITS // 8]
    if magic not in MAGICS:
        return None
    length_bits = int.from_bytes(head[MAGIC_BITS // 8 :], "big")
    start = MAGIC_BITS + LENGTH_BITS
    available = alpha.size - start
    if length_bits <= 0 or length_bits > min(available, MAX_PAYLOAD_BYTES * 8):
        return magic.decode(), None
    bits = columns.reshape(-1)[start : start + length_bits] & 1
    payload = np.packbits(bits).tobytes()
    if MAGICS[magic]:
        inflater = zlib.decompressobj(wbits=31)  # gzip container
        try:
            payload = inflater.decompress(payload, MAX_PAYLOAD_BYTES)
        except zlib.error:
            return magic.decode(), None
    try:
        data = json.loads(payload)
    except ValueError:
        return magic.decode(), None
    return magic.decode(), data if isinstance(data, dict) else None


class NovelAiStealthDetector(Detector):
    name = "novelai-stealth"

    def __init__(self, *, max_pixels: int = 4096 * 4096) -> None:
        self.max_pixels = max_pixels

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        if (
            not subject.has_alpha
            or subject.pixel_count > self.max_pixels
            or not subject.pixels_allowed()
        ):
            return []
        pixels = subject.pixels()
        if pixels.ndim != 3 or pixels.shape[2] != 4:
            return []
        found = read_stealth(pixels[:, :, 3])
        if found is None:
            return []
        magic, payload = found
        if payload is None:
            summary = "payload unreadable"
        else:
            keys = ", ".join(sorted(payload)[:8])
            software = payload.get("Software") or payload.get("software")
            summary = f"payload keys {keys}" + (f"; Software={software!r}" if software else "")
        return [strong(vocab.NOVELAI_STEALTH, f"alpha-channel record {magic!r}: {summary}")]
