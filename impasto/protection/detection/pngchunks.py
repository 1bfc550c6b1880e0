"""A bounded reader of PNG text and metadata chunks.

Why not ``Image.open(f).text``: Pillow raises ``ValueError: Decompressed data too large`` on a
compressed ``zTXt``/``iTXt`` chunk over ``PngImagePlugin.MAX_TEXT_CHUNK`` (1 MiB), and a large
ComfyUI workflow reaches that, so the file would show no text at all; it also only sees chunks
after ``IDAT`` once the pixels are decoded. The generator checks need the keywords and the first
part of each text, so this walks the chunk list itself (length, type, data, CRC; the format is
four fields) and keeps at most ``max_text_bytes`` of each text, decompressing no more than
that, within a total budget and a chunk-count cap. Pixels are never decoded here.

A text cut at the cap is marked ``truncated``: a partly-read workflow is still a workflow, so a
cut is not suspicious in itself, but the detectors then match on the prefix instead of parsing.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_TYPES = frozenset({b"tEXt", b"zTXt", b"iTXt"})

MAX_TEXT_BYTES = 1 << 20  # per text chunk, after decompression
MAX_TOTAL_TEXT_BYTES = 8 << 20  # for the whole file
MAX_TEXT_CHUNKS = 512
MAX_CHUNKS = 100_000  # a hostile file can hold millions of empty chunks
MAX_EXIF_BYTES = 1 << 20


@dataclass(frozen=True)
class TextChunk:
    keyword: str
    text: str
    chunk_type: str  # "tEXt", "zTXt" or "iTXt"
    truncated: bool = False


@dataclass
class PngMetadata:
    texts: list[TextChunk] = field(default_factory=list)
    exif: bytes | None = None  # the eXIf chunk, when not over the cap
    has_c2pa: bool = False  # a caBX chunk (C2PA manifest store) is present
    text_chunks_skipped: int = 0  # text chunks past the count or byte budget

    def text(self, keyword: str) -> TextChunk | None:
        """The first text chunk with this keyword, matched exactly, else case-insensitively."""
        for chunk in self.texts:
            if chunk.keyword == keyword:
                return chunk
        folded = keyword.casefold()
        for chunk in self.texts:
            if chunk.keyword.casefold() == folded:
                return chunk
        return None


def _inflate(data: bytes, limit: int) -> tuple[bytes, bool]:
    """Decompress at most ``limit`` bytes; says whether the output was cut."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error:
        return b"", True
    return out, bool(inflater.unconsumed_tail) or not inflater.eof


def _parse_text(ctype: bytes, data: bytes, limit: int) -> TextChunk | None:
    keyword_raw, sep, rest = data.partition(b"\x00")
    if not sep or not 1 <= len(keyword_raw) <= 79:
        return None  # not a valid text chunk: ignore it, as decoders do
    keyword = keyword_raw.decode("latin-1")
    if ctype == b"tEXt":
        return TextChunk(
            keyword, rest[:limit].decode("latin-1"), "tEXt", truncated=len(rest) > limit
        )
    if ctype == b"zTXt":
        if not rest:
            return None
        raw, cut = _inflate(rest[1:], limit)
        return TextChunk(keyword, raw.decode("latin-1"), "zTXt", truncated=cut)
    # iTXt: compression flag, method, language tag NUL, translated keyword NUL, text (UTF-8)
    if len(rest) < 2:
        return None
    compressed = rest[0] == 1
    _language, sep1, after = rest[2:].partition(b"\x00")
    _translated, sep2, body = after.partition(b"\x00")
    if not (sep1 and sep2):
        return None
    if compressed:
        raw, cut = _inflate(body, limit)
    else:
        raw, cut = body[:limit], len(body) > limit
    return TextChunk(keyword, raw.decode("utf-8", errors="replace"), "iTXt", truncated=cut)


def read_png_metadata(
    data: bytes,
    *,
    max_text_bytes: int = MAX_TEXT_BYTES,
    max_total_text_bytes: int = MAX_TOTAL_TEXT_BYTES,
) -> PngMetadata:
    """Text chunks (before and after IDAT), eXIf and the presence of caBX in a PNG's bytes."""
    meta = PngMetadata()
    if not data.startswith(SIGNATURE):
        return meta
    pos = len(SIGNATURE)
    budget = max_total_text_bytes
    for _ in range(MAX_CHUNKS):
        if pos + 8 > len(data):
            break
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        start, end = pos + 8, pos + 8 + length
        if end > len(data):
            break  # truncated file: keep what was read so far
        if ctype in TEXT_TYPES:
            if len(meta.texts) >= MAX_TEXT_CHUNKS or budget <= 0:
                meta.text_chunks_skipped += 1
            else:
                chunk = _parse_text(ctype, data[start:end], min(max_text_bytes, budget))
                if chunk is not None:
                    meta.texts.append(chunk)
                    budget -= len(chunk.text)
        elif ctype == b"eXIf":
            if length <= MAX_EXIF_BYTES and meta.exif is None:
                meta.exif = data[start:end]
        elif ctype == b"caBX":
            meta.has_c2pa = True
        elif ctype == b"IEND":
            break
        pos = end + 4  # skip the CRC
    return meta


def without_text_chunks(data: bytes) -> bytes:
    """The PNG with its text chunks left out, for Pillow to decode.

    Pillow refuses to open a PNG whose compressed text chunk inflates past 1 MiB (a big
    ComfyUI workflow), so the image itself would be unreadable; the text is read by
    :func:`read_png_metadata` instead, and Pillow gets the pixels and colour chunks only.
    """
    if not data.startswith(SIGNATURE):
        return data
    parts = [SIGNATURE]
    pos = len(SIGNATURE)
    for _ in range(MAX_CHUNKS):
        if pos + 8 > len(data):
            break
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            break
        if ctype not in TEXT_TYPES:
            parts.append(data[pos:end])
        pos = end
        if ctype == b"IEND":
            return b"".join(parts)
    parts.append(data[pos:])  # past the cap or truncated: leave the rest to Pillow
    return b"".join(parts)
