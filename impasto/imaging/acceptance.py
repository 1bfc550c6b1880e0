"""Accepting an upload: what the web process may know about a file without decoding it.

The format is sniffed from the first bytes against a short allowlist (never the name or the
declared type); the header is then read by the one libvips loader for that format (lazy: no
pixel is decoded); the container's end and its metadata are checked by walking its segments.
Every refusal is an :class:`UploadRefused` with a message a person understands.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import puremagic
import pyvips
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from impasto.imaging import vipsguard

ACCEPTED = _ACCEPTED_NAMES = "JPEG, PNG, WebP, GIF, AVIF or HEIC"

MIME_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "heic": "image/heic",
}
FORMAT_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WebP",
    "avif": "AVIF",
    "heic": "HEIC",
}
LOADERS = {
    "jpeg": "jpegload",
    "png": "pngload",
    "gif": "gifload",
    "webp": "webpload",
    "avif": "heifload",
    "heic": "heifload",
}
# Names of what people upload by mistake, keyed by the extension puremagic reports; marked
# for translation here, translated when shown (_describe_refused).
REFUSED_NAMES = {
    ".pdf": gettext_noop("a PDF"),
    ".svg": gettext_noop("an SVG drawing"),
    ".tif": gettext_noop("a TIFF image"),
    ".tiff": gettext_noop("a TIFF image"),
    ".psd": gettext_noop("a Photoshop document"),
    ".bmp": gettext_noop("a BMP image"),
    ".ico": gettext_noop("an icon file"),
    ".jxl": gettext_noop("a JPEG XL image"),
    ".jp2": gettext_noop("a JPEG 2000 image"),
    ".zip": gettext_noop("a ZIP archive"),
    ".rar": gettext_noop("a RAR archive"),
    ".7z": gettext_noop("a 7-Zip archive"),
    ".gz": gettext_noop("a gzip archive"),
    ".html": gettext_noop("a web page"),
    ".htm": gettext_noop("a web page"),
    ".xml": gettext_noop("an XML document"),
    ".mp4": gettext_noop("a video"),
    ".mov": gettext_noop("a video"),
    ".webm": gettext_noop("a video"),
    ".mkv": gettext_noop("a video"),
    ".avi": gettext_noop("a video"),
    ".eps": gettext_noop("an EPS document"),
    ".ps": gettext_noop("a PostScript document"),
    ".exe": gettext_noop("a program"),
    ".dll": gettext_noop("a program"),
    ".elf": gettext_noop("a program"),
    ".docx": gettext_noop("a Word document"),
    ".doc": gettext_noop("a Word document"),
    ".txt": gettext_noop("a text file"),
    ".heif": None,  # ISO-BMFF files puremagic names; our own sniffing decides these
}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}


class UploadRefused(Exception):
    """The upload is not accepted; ``message`` says why in words meant for the uploader."""

    def __init__(
        self, code: str, message: str, status: int = 422, *, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after  # seconds, when refused for now only (429)

    @property
    def headers(self) -> dict[str, str]:
        """What an answer carrying this refusal adds: ``Retry-After`` when it is for now only."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class ImageFacts:
    format: str  # key of MIME_TYPES
    width: int  # as displayed (orientation applied)
    height: int
    frames: int
    metadata_bytes: int

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]


def _accepted_hint() -> str:
    return _("upload a JPEG, PNG, WebP, GIF, AVIF or HEIC image.")


def refuse_too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        "too_large",
        _("This file is larger than %(limit)s; upload an image of at most %(limit)s.")
        % {"limit": filesizeformat(limit)},
        status=413,
    )


def sniff(head: bytes) -> str | None:
    """The accepted format these first bytes begin, or None."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and len(head) >= 16:
        size = int.from_bytes(head[:4], "big")
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        if brands & AVIF_BRANDS:
            return "avif"
        if brands & HEIC_BRANDS:
            return "heic"
    return None


def _describe_refused(data: bytes) -> str:
    """A person's name for a file we do not accept ("a PDF"), or a generic phrase."""
    try:
        matches = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        name = REFUSED_NAMES.get(match.extension.lower())
        if name:
            return _(name)
    stripped = data.lstrip()[:512].lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<script")):
        return _("a web page")
    if b"<svg" in stripped:
        return _("an SVG drawing")
    return ""


def inspect_file(path: Path) -> ImageFacts:
    """Everything acceptance needs to know about the file at ``path``, or UploadRefused."""
    vipsguard.configure()
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused("empty", _("This file is empty; ") + _accepted_hint())
    if size > settings.IMPASTO_UPLOAD_MAX_BYTES:
        raise refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES)
    with path.open("rb") as handle:
        head = handle.read(4096)
    fmt = sniff(head)
    if fmt is None:
        what = _describe_refused(head)
        if what:
            message = _("This file is %(what)s; ") % {"what": what} + _accepted_hint()
        else:
            message = _("This file is not an image we can read; ") + _accepted_hint()
        raise UploadRefused("unsupported_format", message, status=415)

    name = FORMAT_NAMES[fmt]
    damaged = UploadRefused(
        "damaged",
        _(
            "This %(format)s file is damaged or incomplete, so it cannot be read. "
            "Export it again and upload the new file."
        )
        % {"format": name},
    )
    walked = _walk_container(path, fmt, size, damaged)

    try:
        loader = getattr(pyvips.Image, LOADERS[fmt])
        options: dict[str, object] = {"access": "sequential", "fail_on": "error"}
        if fmt in {"gif", "webp", "avif", "heic"}:
            options["n"] = -1
        image = loader(str(path), **options)
        width, height = image.width, image.height
        pages = image.get("n-pages") if image.get_typeof("n-pages") else 1
        page_height = image.get("page-height") if image.get_typeof("page-height") else height
        orientation = image.get("orientation") if image.get_typeof("orientation") else 1
        field_bytes = _metadata_field_bytes(image)
    except pyvips.Error:
        raise damaged from None

    frames = max(int(pages or 1), walked.frames)
    if frames > 1 and fmt != "png":
        height = int(page_height)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    metadata = max(walked.metadata_bytes, field_bytes)

    max_side = settings.IMPASTO_IMAGE_MAX_SIDE
    max_pixels = settings.IMPASTO_IMAGE_MAX_PIXELS
    if width > max_side or height > max_side or width * height > max_pixels:
        raise UploadRefused(
            "too_many_pixels",
            _(
                "This image is %(width)s x %(height)s pixels; the largest we accept is "
                "%(megapixels)s megapixels and %(side)s pixels on a side. "
                "Export a smaller copy and upload that."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": max_pixels // 1_000_000,
                "side": max_side,
            },
        )
    if frames > settings.IMPASTO_IMAGE_MAX_FRAMES:
        raise UploadRefused(
            "too_many_frames",
            _("This animation has %(frames)s frames; the most we accept is %(max)s.")
            % {"frames": frames, "max": settings.IMPASTO_IMAGE_MAX_FRAMES},
        )
    if frames * width * height > 5 * max_pixels:
        raise UploadRefused(
            "animation_too_large",
            _(
                "This animation is too large to show (%(frames)s frames of %(width)s x "
                "%(height)s pixels); make it smaller or shorter."
            )
            % {"frames": frames, "width": width, "height": height},
        )
    if metadata > settings.IMPASTO_IMAGE_MAX_METADATA_BYTES:
        raise UploadRefused(
            "too_much_metadata",
            _(
                "This image carries %(size)s of metadata; the most we accept is %(max)s. "
                "Export it again without the extra metadata."
            )
            % {
                "size": filesizeformat(metadata),
                "max": filesizeformat(settings.IMPASTO_IMAGE_MAX_METADATA_BYTES),
            },
        )
    return ImageFacts(
        format=fmt, width=width, height=height, frames=frames, metadata_bytes=metadata
    )


def _metadata_field_bytes(image: pyvips.Image) -> int:
    total = 0
    for field in image.get_fields():
        if field.endswith("-data") or field.startswith(("png-comment", "gif-comment")):
            value = image.get(field)
            total += len(value) if isinstance(value, (bytes, str)) else 0
    return total


@dataclass(frozen=True)
class _Walked:
    metadata_bytes: int = 0
    frames: int = 1


def _walk_container(path: Path, fmt: str, size: int, damaged: UploadRefused) -> _Walked:
    """Metadata size, frame count and end-of-file checks that need no decoding.

    A file that stops early (truncated) or carries other data after the image (a polyglot:
    an image with an archive or a page appended) is refused here.
    """
    with path.open("rb") as handle:
        if fmt == "jpeg":
            return _walk_jpeg(handle, size, damaged)
        if fmt == "png":
            return _walk_png(handle, size, damaged)
        if fmt == "webp":
            return _walk_webp(handle, size, damaged)
        if fmt == "gif":
            handle.seek(max(0, size - 1))
            if handle.read(1) != b";":
                raise damaged
    return _Walked()


def _trailing(handle: object, size: int, damaged: UploadRefused) -> None:
    assert hasattr(handle, "tell")
    if handle.tell() != size:
        raise UploadRefused(
            "trailing_data",
            _(
                "This file has other data hidden after the image; export it again and "
                "upload the new file."
            ),
        )


def _walk_jpeg(handle: object, size: int, damaged: UploadRefused) -> _Walked:
    from typing import BinaryIO, cast

    f = cast(BinaryIO, handle)
    f.seek(2)
    metadata = 0
    while True:
        marker = f.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise damaged
        kind = marker[1]
        if kind == 0xD9:  # end of image before any scan
            raise damaged
        if kind == 0xDA or 0xD0 <= kind <= 0xD7 or kind == 0x01:
            break
        raw = f.read(2)
        if len(raw) < 2:
            raise damaged
        length = struct.unpack(">H", raw)[0]
        if length < 2:
            raise damaged
        if 0xE0 <= kind <= 0xEF or kind == 0xFE:  # APPn and COM: metadata
            metadata += length - 2
        f.seek(length - 2, 1)
        if metadata > settings.IMPASTO_IMAGE_MAX_METADATA_BYTES:
            break
    # The image must end with EOI; camera files (MPF) may carry further JPEGs that
    # themselves end with EOI, so only the last bytes are checked.
    f.seek(max(0, size - 2))
    if f.read(2) != b"\xff\xd9":
        raise damaged
    return _Walked(metadata_bytes=metadata)


PNG_METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"}


def _walk_png(handle: object, size: int, damaged: UploadRefused) -> _Walked:
    from typing import BinaryIO, cast

    f = cast(BinaryIO, handle)
    f.seek(8)
    metadata = 0
    frames = 1
    while True:
        header = f.read(8)
        if len(header) < 8:
            raise damaged
        length, kind = struct.unpack(">I4s", header)
        if length > size:
            raise damaged
        if kind in PNG_METADATA_CHUNKS:
            metadata += length
        if kind == b"acTL" and length >= 8:
            frames = max(1, struct.unpack(">I", f.read(4))[0])
            f.seek(length - 4, 1)
        else:
            f.seek(length, 1)
        crc = f.read(4)
        if len(crc) < 4:
            raise damaged
        if kind == b"IEND":
            break
    _trailing(f, size, damaged)
    return _Walked(metadata_bytes=metadata, frames=frames)


WEBP_METADATA_CHUNKS = {b"EXIF", b"XMP ", b"ICCP"}


def _walk_webp(handle: object, size: int, damaged: UploadRefused) -> _Walked:
    from typing import BinaryIO, cast

    f = cast(BinaryIO, handle)
    f.seek(4)
    riff_size = struct.unpack("<I", f.read(4))[0]
    if riff_size + 8 > size:
        raise damaged
    if riff_size + 8 < size:
        f.seek(riff_size + 8)
        _trailing(f, size, damaged)
    f.seek(12)
    metadata = 0
    frames = 0
    end = riff_size + 8
    while f.tell() + 8 <= end:
        kind, length = struct.unpack("<4sI", f.read(8))
        if kind in WEBP_METADATA_CHUNKS:
            metadata += length
        if kind == b"ANMF":
            frames += 1
        f.seek(length + (length & 1), 1)
    return _Walked(metadata_bytes=metadata, frames=max(frames, 1))
