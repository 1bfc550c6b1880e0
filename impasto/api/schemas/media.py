"""Images as the API shows them: an uploaded asset, its display variants, a post's images."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from impasto.api.schemas.accounts import absolute_url
from impasto.api.schemas.common import Answer, SnowflakeId
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.imaging.paths import variant_prefix
from impasto.social.models import PostAttachment

MediaStatus = Literal["processing", "ready", "held", "failed"]
MediaPurpose = Literal["artwork", "post", "avatar", "banner"]
SourceTypeName = Literal["digitalCreation", "digitalCapture", "humanEdits", "composite"]


class MediaVariantOut(Answer):
    """One stored rendition. The URL is content-addressed: it never changes meaning."""

    url: str = Field(description="Absolute URL; 404 to anyone who may not see the image.")
    format: Literal["avif", "webp", "jpeg"]
    width: int
    height: int
    kind: Literal["display", "poster"] = Field(
        description='"poster": the still first frame of an animation.'
    )
    animated: bool


class MediaOut(Answer):
    """An uploaded image. Variants appear once it is ``ready``; poll ``GET /media/{id}``."""

    id: SnowflakeId
    status: MediaStatus
    purpose: MediaPurpose
    width: int = Field(description="Pixels, after the orientation tag is applied.")
    height: int
    frames: int = Field(description="More than 1 for an animation.")
    blurhash: str = Field(description="A BlurHash placeholder; empty until ready.")
    dominant_color: str = Field(description='"#rrggbb", or empty until ready.')
    failure_reason: str = Field(description="Why processing failed, for people; else empty.")
    variants: list[MediaVariantOut] = Field(description="Empty until ready.")


class PostImageOut(Answer):
    """An image of a post, in order."""

    id: SnowflakeId = Field(description="The image's media id.")
    alt_text: str = Field(description="The description; empty when decorative.")
    decorative: bool = Field(description='Adds nothing to the text: show it with alt="".')
    status: MediaStatus = Field(
        description="Others only ever see ready images; the author also sees them processing."
    )
    width: int
    height: int
    blurhash: str
    dominant_color: str
    variants: list[MediaVariantOut]


def variant_out(variant: MediaVariant, prefix: str) -> dict[str, Any]:
    """One variant; ``prefix`` is ``absolute_url(variant_prefix())``, read once per list."""
    return {
        "url": f"{prefix}{variant.sha256}.{variant.extension}",
        "format": variant.format,
        "width": variant.width,
        "height": variant.height,
        "kind": variant.kind,
        "animated": variant.animated,
    }


def _variants(asset: MediaAsset) -> list[dict[str, Any]]:
    if asset.status != MediaAsset.Status.READY:
        return []
    prefix = absolute_url(variant_prefix())
    return [variant_out(v, prefix) for v in asset.variants.all()]  # prefetched by the selectors


def media_out(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "status": asset.status,
        "purpose": asset.purpose,
        "width": asset.width,
        "height": asset.height,
        "frames": asset.frames,
        "blurhash": asset.blurhash,
        "dominant_color": asset.dominant_color,
        "failure_reason": asset.failure_reason if asset.status == MediaAsset.Status.FAILED else "",
        "variants": _variants(asset),
    }


def post_image_out(attachment: PostAttachment) -> dict[str, Any]:
    asset = attachment.asset
    return {
        "id": asset.pk,
        "alt_text": attachment.alt,
        "decorative": attachment.decorative,
        "status": asset.status,
        "width": asset.width,
        "height": asset.height,
        "blurhash": asset.blurhash,
        "dominant_color": asset.dominant_color,
        "variants": _variants(asset),
    }
