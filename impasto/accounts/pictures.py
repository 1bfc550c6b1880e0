"""Avatars and banners: hostile bytes in, a small re-encoded WebP out.

This is deliberately small and replaceable: the full upload pipeline (impasto/imaging, being
built in another branch) will take over, and only ``profile_set_avatar`` and
``profile_set_banner`` in :mod:`impasto.accounts.services.profiles` call this module.

What happens to an upload, in order, and why:

1. The size is capped before anything is read into memory beyond the cap.
2. The format is sniffed from the first bytes (never the name or declared type) against a
   four-format allowlist: JPEG, PNG, GIF, WebP. Everything else stops here, before libvips
   sees it, so no other loader's header parser is exposed to the upload.
3. libvips reads only the header (with untrusted loaders blocked) and must agree on the
   format; the dimensions are checked against the caps before a single pixel is decoded.
4. The picture is decoded with ``fail_on=truncated`` (a damaged file is refused instead of
   half-grey), shrunk on load, centre-cropped to the target size, converted to sRGB, and
   written as WebP with no metadata at all (no EXIF, GPS or XMP survives).

The decode runs in the web process, bounded by the caps above (a 400x400 thumbnail of at most
50 megapixels); the imaging pipeline moves decoding into a sandboxed worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

import pyvips
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Loaders whose libraries are not fuzzed for hostile input are refused (the libvips
# developer checklist; Mastodon does the same). Safe to set process-wide: it only blocks.
pyvips.block_untrusted_set(True)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 16_384
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Target:
    width: int
    height: int
    quality: int = 82


AVATAR = Target(400, 400)
BANNER = Target(1500, 500, quality=80)

# The loader libvips must pick for each sniffed format (the names end in _buffer).
_LOADERS = {"jpeg": "jpegload", "png": "pngload", "gif": "gifload", "webp": "webpload"}


def sniff(head: bytes) -> str | None:
    """The format named by the file's signature, or None when it is not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _unsupported() -> ValidationError:
    return ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, GIF or WebP image."),
        code="unsupported_format",
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("This picture is damaged or incomplete. Export it again and upload the new file."),
        code="damaged",
    )


def read_upload(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload's bytes, refusing empty files and files over the size cap."""
    too_big = ValidationError(
        _("This file is larger than %(limit)s. Upload a smaller picture.")
        % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
        code="too_big",
    )
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_big
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_big
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    return data


def render_webp(data: bytes, target: Target) -> bytes:
    """Validate ``data`` and return it cropped to ``target`` as a metadata-free WebP.

    Raises ``ValidationError`` with a message meant for the person who uploaded it.
    """
    kind = sniff(data[:16])
    if kind is None:
        raise _unsupported()
    try:
        header = pyvips.Image.new_from_buffer(data, "", access="sequential")
    except pyvips.Error:
        raise _damaged() from None
    loader = header.get("vips-loader") if header.get_typeof("vips-loader") else ""
    if not str(loader).startswith(_LOADERS[kind]):
        raise _unsupported()
    width, height = header.width, header.height
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ValidationError(
            _(
                "This picture is %(width)d by %(height)d pixels; the most we accept is "
                "%(side)d pixels on a side and %(megapixels)d megapixels in all."
            )
            % {
                "width": width,
                "height": height,
                "side": MAX_SIDE,
                "megapixels": MAX_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )
    try:
        # option_string reaches the loader; thumbnail's own fail_on keyword does not.
        image = pyvips.Image.thumbnail_buffer(
            data,
            target.width,
            height=target.height,
            crop="centre",
            size="both",
            option_string="fail_on=truncated",
        )
        if image.interpretation != "srgb" or image.format != "uchar":
            image = image.colourspace("srgb")
        return bytes(
            image.webpsave_buffer(Q=target.quality, effort=4, keep=pyvips.enums.ForeignKeep.NONE)
        )
    except pyvips.Error:
        raise _damaged() from None
