"""Template helpers for the shell's components: ``{% load impasto %}``.

- ``{% icon "search" %}``: an inline SVG that uses the sprite in static/img/icons.svg;
- ``{% avatar person size="m" %}``: a person's picture, or their initials on a tone picked
  from their handle when there is no picture;
- ``{{ name|initials }}``.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from impasto.core import navigation

register = template.Library()

AVATAR_SIZES = frozenset({"xs", "s", "m", "l", "xl"})
AVATAR_TONES = 8


@functools.cache
def _sprite() -> str:
    """The sprite's URL, looked up once per process (a feed page draws 160 icons, and each
    lookup in the static manifest costs as much as the icon's markup)."""
    return static("img/icons.svg")


@receiver(setting_changed)
def _static_settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT"}:
        _sprite.cache_clear()
        _decorative.cache_clear()


@functools.lru_cache(maxsize=256)
def _decorative(href: str) -> SafeString:
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        href,
    )


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """An icon; decorative unless given a ``label`` (then it is announced as an image)."""
    href = f"{_sprite()}#{name}"
    if label:
        return format_html(
            '<svg class="icon" role="img" aria-label="{}" focusable="false">'
            '<use href="{}"></use></svg>',
            label,
            href,
        )
    return _decorative(href)


@register.filter
def initials(name: object) -> str:
    """Up to two letters: "Mira Okafor" -> "MO", "mira" -> "M"."""
    words = [word for word in str(name or "").replace("_", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def _tone(key: str) -> int:
    digest = hashlib.blake2s(key.encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big") % AVATAR_TONES


@register.simple_tag
def avatar(person: Any, size: str = "m", src: str = "", label: str = "") -> SafeString:
    """A round avatar for ``person`` (anything with ``handle`` and ``name``).

    ``src`` is the picture's URL when the caller has one (the header never queries for it).
    Without ``label`` the avatar is decorative: put it next to the person's name.
    """
    if size not in AVATAR_SIZES:
        raise template.TemplateSyntaxError(f"avatar size must be one of {sorted(AVATAR_SIZES)}")
    handle = str(getattr(person, "handle", "") or "")
    name = str(getattr(person, "name", "") or handle)
    classes = f"avatar avatar--{size}"
    if src:
        return format_html(
            '<img class="{}" src="{}" alt="{}" loading="lazy" decoding="async">',
            classes,
            src,
            label,
        )
    if label:
        return format_html(
            '<span class="{} avatar--tone-{}" role="img" aria-label="{}">{}</span>',
            classes,
            _tone(handle or name),
            label,
            initials(name),
        )
    return format_html(
        '<span class="{} avatar--tone-{}" aria-hidden="true">{}</span>',
        classes,
        _tone(handle or name),
        initials(name),
    )


@register.inclusion_tag("core/_settings_nav.html", takes_context=True)
def settings_nav(context: template.Context) -> dict[str, Any]:
    """The settings side navigation: every app's ``settings_links``, by section."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    sections = [
        (
            title,
            [
                {
                    "href": reverse(link.url_name),
                    "label": link.label,
                    "current": current in (link.url_name, *link.also),
                }
                for link in links
            ],
        )
        for title, links in navigation.settings_links()
    ]
    return {"sections": sections}
