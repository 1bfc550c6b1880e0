from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from impasto.accounts.models import User
from impasto.accounts.selectors import picture_url
from impasto.core.templatetags.impasto import avatar as core_avatar
from impasto.core.text import render_markdown

register = template.Library()


@register.simple_tag
def profile_avatar(person: User, size: str = "m") -> SafeString:
    """``person``'s avatar picture (``profile`` selected), or their initials on a tone.

    The markup is the design system's avatar (impasto.core's ``avatar`` tag); this only adds
    where the picture is served.
    """
    src = picture_url(user=person, field="avatar") or ""
    return core_avatar(person, size=size, src=src, label=person.name)


@register.simple_tag
def banner_url(person: User) -> str | None:
    return picture_url(user=person, field="banner")


@register.filter
def markdown(text: str) -> SafeString:
    """User-written text as sanitised HTML (impasto.core.text.render_markdown)."""
    return render_markdown(text)
