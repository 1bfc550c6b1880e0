"""``{% picture asset sizes="..." %}``: a responsive, layout-stable <picture> for an asset."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from impasto.imaging.models import MediaAsset, MediaVariant

register = template.Library()

DEFAULT_SIZES = "(max-width: 720px) 100vw, 720px"


def _url(variant: MediaVariant) -> str:
    return reverse("imaging:variant", args=[variant.sha256, variant.extension])


def _srcset(variants: list[MediaVariant]) -> str:
    return ", ".join(f"{_url(v)} {v.width}w" for v in sorted(variants, key=lambda v: v.width))


@register.simple_tag
def picture(
    asset: MediaAsset,
    sizes: str = DEFAULT_SIZES,
    css_class: str = "",
    loading: str = "lazy",
    alt: str | None = None,
) -> SafeString:
    """Renders nothing unless the asset is ready (its variants are then all stored)."""
    if asset.status != MediaAsset.Status.READY:
        return SafeString("")
    variants = list(asset.variants.all())  # prefetched by the selectors
    animated = [v for v in variants if v.animated]
    stills = [v for v in variants if not v.animated]
    sources: list[dict[str, str]] = []
    for fmt, mime in (("avif", "image/avif"), ("webp", "image/webp")):
        chosen = [v for v in (animated or stills) if v.format == fmt]
        if chosen:
            sources.append({"type": mime, "srcset": _srcset(chosen)})
    jpegs = [v for v in stills if v.format == "jpeg"]
    if not jpegs:
        return SafeString("")
    fallback = min(jpegs, key=lambda v: abs(v.width - 1080))
    context: dict[str, Any] = {
        "asset": asset,
        "sources": sources,
        "src": _url(fallback),
        "srcset": _srcset(jpegs),
        "sizes": sizes,
        "width": fallback.width,
        "height": fallback.height,
        "alt": asset.alt_text if alt is None else alt,
        "css_class": css_class,
        "loading": loading,
    }
    return SafeString(render_to_string("imaging/_picture.html", context))
