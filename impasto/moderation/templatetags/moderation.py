"""Template helpers: a picture of a work in any state (for its artist and moderators), and the
report link other apps' templates include."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from impasto.imaging.models import MediaAsset
from impasto.imaging.paths import variant_path
from impasto.moderation.selectors import hold_evidence

register = template.Library()


@register.simple_tag
def review_picture(asset: MediaAsset, width: int = 1080) -> SafeString:
    """An <img> of a held, removed or ready work (the access hook lets its artist and the
    moderators load it; anyone else gets 404 on the image URL)."""
    stills = [v for v in asset.variants.all() if v.format == "jpeg" and v.kind == "display"]
    if not stills:
        return format_html('<p class="muted small">{}</p>', gettext("No preview yet."))
    fitting = [v for v in stills if v.width <= width] or stills
    chosen = max(fitting, key=lambda v: v.width)
    url = variant_path(chosen.sha256, chosen.extension)
    alt = asset.alt_text or gettext("The uploaded work")
    return format_html(
        '<img class="moderation-picture" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        url,
        chosen.width,
        chosen.height,
        alt,
    )


@register.inclusion_tag("moderation/_report_link.html", takes_context=True)
def report_link(context: Any, target_type: str, target_id: int, label: str = "") -> dict[str, Any]:
    """A "Report" menu item for other apps' menus: ``{% report_link "post" post.pk %}``."""
    return {
        "url": reverse("moderation:report", args=[target_type, target_id]),
        "label": label or gettext("Report"),
        "user": context.get("user"),
    }


@register.inclusion_tag("moderation/_hold_reasons.html")
def hold_reasons(asset: MediaAsset) -> dict[str, Any]:
    """The plain-words reasons a held upload is held (for its card in the upload list)."""
    return {"evidence": hold_evidence(asset_id=asset.pk)}
