"""``{% picture asset sizes="..." %}``: a responsive, layout-stable <picture> for an asset."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from impasto.imaging import access
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.imaging.paths import variant_path

register = template.Library()

DEFAULT_SIZES = "(max-width: 720px) 100vw, 720px"


def _url(variant: MediaVariant, viewer_id: int | None = None) -> str:
    url = variant_path(variant.sha256, variant.extension)
    if viewer_id is not None and access.needs_signature(variant.width):
        query = access.signed_query(sha256=variant.sha256, ext=variant.extension, user_id=viewer_id)
        url = f"{url}?{query}"
    return url


def _srcset(variants: list[MediaVariant], viewer_id: int | None) -> str:
    return ", ".join(
        f"{_url(v, viewer_id)} {v.width}w" for v in sorted(variants, key=lambda v: v.width)
    )


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    if request is not None:
        return getattr(request, "user", None)
    return context.get("user")


def _servable(
    variants: list[MediaVariant], asset: MediaAsset, viewer: Any
) -> tuple[list[MediaVariant], int | None]:
    """The variants this viewer may fetch, and whose id signs the widest (None: no signing)."""
    if viewer is None or not viewer.is_authenticated:
        cap = access.anonymous_max_width()
        return [v for v in variants if v.width <= cap], None
    if viewer.pk == asset.owner_id:
        return variants, None
    return variants, int(viewer.pk)


@register.simple_tag(takes_context=True)
def picture(
    context: template.Context,
    asset: MediaAsset,
    sizes: str = DEFAULT_SIZES,
    css_class: str = "",
    loading: str = "lazy",
    alt: str | None = None,
) -> SafeString:
    """Renders nothing unless the asset is ready (its variants are then all stored).

    The widths offered depend on the viewer (``request.user`` in the context): anonymous
    visitors get those up to the anonymous cap, members every width with the widest signed
    for them, the owner every width (:mod:`impasto.imaging.access`)."""
    if asset.status != MediaAsset.Status.READY:
        return SafeString("")
    variants, signer_id = _servable(list(asset.variants.all()), asset, _viewer(context))
    if not variants:
        return SafeString("")
    animated = [v for v in variants if v.animated]
    stills = [v for v in variants if not v.animated]
    sources: list[dict[str, str]] = []
    for fmt, mime in (("avif", "image/avif"), ("webp", "image/webp")):
        chosen = [v for v in (animated or stills) if v.format == fmt]
        if chosen:
            sources.append({"type": mime, "srcset": _srcset(chosen, signer_id)})
    jpegs = [v for v in stills if v.format == "jpeg"]
    if not jpegs:
        return SafeString("")
    fallback = min(jpegs, key=lambda v: abs(v.width - 1080))
    values: dict[str, Any] = {
        "asset": asset,
        "sources": sources,
        "src": _url(fallback, signer_id),
        "srcset": _srcset(jpegs, signer_id),
        "sizes": sizes,
        "width": fallback.width,
        "height": fallback.height,
        "alt": asset.alt_text if alt is None else alt,
        "css_class": css_class,
        "loading": loading,
    }
    return SafeString(render_to_string("imaging/_picture.html", values))
