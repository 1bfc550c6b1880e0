"""Assets with stored variants made without the pipeline, for serving and access tests.

The pipeline's own output is tested in tests/imaging; these rows only need a file behind each
variant, so the tests of who gets which bytes run in milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, MediaVariant
from tests.factories import MediaAssetFactory, publish_artwork

WIDTHS = (320, 640, 1080, 1600, 2048)


def tiny_jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (seed % 256, 90, 40)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def asset_with_variants(
    owner: User,
    *,
    widths: Sequence[int] = WIDTHS,
    formats: Sequence[str] = ("jpeg",),
    original: bytes | None = None,
    published: bool = True,
) -> MediaAsset:
    """A ready asset whose variants are stored files; the original too when given.

    ``published``: in a public project of its owner's, so everyone may see it (an artwork no
    project contains is its owner's only: docs/imaging.md, "Access hook")."""
    original_key = f"originals/{secrets.token_hex(16)}.jpg"
    data = original if original is not None else tiny_jpeg(7) + secrets.token_bytes(8)
    storages["private"].save(original_key, ContentFile(data))
    asset = MediaAssetFactory.create(
        owner=owner,
        original_key=original_key,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_bytes=len(data),
        width=max(widths),
        height=max(widths) * 3 // 4,
    )
    for width in widths:
        for fmt in formats:
            body = tiny_jpeg(width) + secrets.token_bytes(16)  # a distinct hash each
            digest = hashlib.sha256(body).hexdigest()
            key = storages["default"].save(f"v/{digest}.{fmt}", ContentFile(body))
            MediaVariant.objects.create(
                asset=asset,
                format=fmt,
                width=width,
                height=width * 3 // 4,
                sha256=digest,
                key=key,
                bytes=len(body),
            )
    if published:
        publish_artwork(asset)
    return asset
