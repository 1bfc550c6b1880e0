"""The file under scan: its original bytes, and lazily read, bounded views of them.

Every detector reads through one :class:`Subject`, so each structure is parsed once per scan
however many detectors look at it, and the caps live in one place:

- the file is identified from its bytes by Pillow, restricted to the formats an upload may
  have (never by its name or a declared type); anything else is :class:`UnreadableImage`;
- metadata comes from Pillow's header parse (JPEG APP segments, WebP/AVIF chunks, GIF
  extensions) or, for PNG, from :mod:`.pngchunks` (capped, no decompression bombs);
- pixels are decoded only when a detector asks (the watermark and NovelAI checks), once, at
  the original size, and only when the image has at most ``max_pixels`` pixels.
"""

from __future__ import annotations

import io
import logging
import os
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from impasto.protection.detection import xmp as xmp_parser
from impasto.protection.detection.pngchunks import SIGNATURE as PNG_SIGNATURE
from impasto.protection.detection.pngchunks import (
    PngMetadata,
    read_png_metadata,
    without_text_chunks,
)

logger = logging.getLogger(__name__)

#: What an upload may be (the image pipeline accepts the same still and animated formats).
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")
MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "AVIF": "image/avif",
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}

DEFAULT_MAX_BYTES = 100 << 20
DEFAULT_MAX_PIXELS = 50_000_000
MAX_XMP_BYTES = 1 << 20


class UnreadableImage(ValueError):
    """The source could not be read, or is not an image in an accepted format."""


Source = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO


def read_source(source: Source, *, max_bytes: int) -> bytes:
    """The bytes of ``source`` (a path, a binary file object or bytes), at most ``max_bytes``."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except IsADirectoryError:
            raise UnreadableImage("is a directory") from None
        except FileNotFoundError:
            raise UnreadableImage("no such file") from None
        except OSError as error:
            raise UnreadableImage(error.strerror or str(error)) from None
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableImage(f"larger than the {max_bytes} bytes a scan reads")
    return data


class Subject:
    """One file being scanned. Cheap to make: nothing past the header is read until asked."""

    def __init__(
        self,
        data: bytes,
        *,
        name: str = "",
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.data = data
        self.name = name
        self.max_pixels = max_pixels
        # Pillow reads PNG text itself and refuses big compressed chunks; it gets a copy
        # without them (the text is read by pngchunks). Other formats go to it as they are.
        self._decodable = without_text_chunks(data) if data.startswith(PNG_SIGNATURE) else data
        try:
            with self.open() as image:
                self.format: str = image.format or ""
                self.size: tuple[int, int] = image.size
                self.mode: str = image.mode
                self.info = dict(image.info)
        except Image.DecompressionBombError:
            raise UnreadableImage("more pixels than any image Impasto accepts") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            logger.debug("cannot open %s: %s", name, error)
            accepted = ", ".join(FORMATS)
            raise UnreadableImage(f"not an image in an accepted format ({accepted})") from None

    @contextmanager
    def open(self) -> Iterator[Image.Image]:
        """A fresh Pillow image on the bytes, header read, pixels not decoded.

        Pillow's pixel-count warning is silenced here: only the header is read, and pixels are
        decoded only within ``max_pixels`` (see :meth:`pixels`).
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(self._decodable), formats=FORMATS)
        with image:
            yield image

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def pixel_count(self) -> int:
        return self.size[0] * self.size[1]

    @property
    def has_alpha(self) -> bool:
        return self.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in self.info

    # --- metadata -------------------------------------------------------------------------

    @cached_property
    def png(self) -> PngMetadata:
        """PNG text chunks, eXIf and caBX (empty for other formats)."""
        if self.format != "PNG":
            return PngMetadata()
        return read_png_metadata(self.data)

    @cached_property
    def exif(self) -> Image.Exif | None:
        """The EXIF block (JPEG APP1, WebP/AVIF chunk, PNG eXIf), or None."""
        if self.format == "PNG":
            if not self.png.exif:
                return None
            exif = Image.Exif()
            try:
                exif.load(self.png.exif)
            except (SyntaxError, ValueError, EOFError, KeyError, struct.error):
                return None
            return exif
        try:
            with self.open() as image:
                return image.getexif() or None
        except (SyntaxError, ValueError, EOFError, KeyError, OSError, struct.error):
            logger.info("unreadable EXIF in %s", self.name)
            return None

    @cached_property
    def xmp(self) -> bytes | None:
        """The raw XMP packet (at most ``MAX_XMP_BYTES`` of it), or None."""
        raw: bytes | str | None
        if self.format == "PNG":
            chunk = self.png.text("XML:com.adobe.xmp")
            raw = chunk.text if chunk else None
        else:
            raw = self.info.get("xmp")
        if not raw:
            return None
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="replace")
        return bytes(raw[:MAX_XMP_BYTES])

    @cached_property
    def xmp_properties(self) -> list[xmp_parser.XmpProperty]:
        return xmp_parser.parse(self.xmp) if self.xmp else []

    @cached_property
    def comments(self) -> list[str]:
        """Free-text comments a format carries outside EXIF/XMP (GIF comment, JPEG COM)."""
        comment = self.info.get("comment")
        if isinstance(comment, bytes):
            return [comment[:MAX_XMP_BYTES].decode("utf-8", errors="replace")]
        if isinstance(comment, str):
            return [comment[:MAX_XMP_BYTES]]
        return []

    # --- pixels ---------------------------------------------------------------------------

    def pixels_allowed(self) -> bool:
        return self.pixel_count <= self.max_pixels

    @cached_property
    def _pixels(self) -> np.ndarray:
        if not self.pixels_allowed():
            raise ValueError(f"{self.size[0]}x{self.size[1]} is over the pixel cap")
        with self.open() as image:
            image.seek(0)
            mode = "RGBA" if self.has_alpha else "RGB"
            return np.asarray(image.convert(mode))

    def pixels(self) -> np.ndarray:
        """The first frame at its original size: H x W x 3 (RGB) or x 4 (RGBA), uint8.

        Decoded once per scan. Callers check :meth:`pixels_allowed` first; over the cap this
        raises ``ValueError``.
        """
        return self._pixels

    def preview(self, side: int) -> Image.Image:
        """The first frame in RGB, shrunk to fit ``side`` x ``side`` (never enlarged).

        For detectors that look at the picture, not at its pixels (perceptual hashes): a JPEG
        is decoded at a reduced DCT scale and nothing holds the full-size frame, which on a
        24-megapixel upload is ~20x cheaper than :meth:`pixels`. Same cap as :meth:`pixels`.
        """
        if not self.pixels_allowed():
            raise ValueError(f"{self.size[0]}x{self.size[1]} is over the pixel cap")
        if "_pixels" in self.__dict__:  # already decoded for another detector: reuse it
            image = Image.fromarray(self._pixels).convert("RGB")
        else:
            with self.open() as source:
                source.seek(0)
                source.draft("RGB", (side, side))  # JPEG only; a no-op for other formats
                image = source.convert("RGB")
        image.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
        return image
