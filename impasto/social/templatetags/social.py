"""Template helpers of the social pages: ``{% load social %}``."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from impasto.accounts.models import User
from impasto.accounts.selectors import picture_url
from impasto.core.templatetags.impasto import avatar
from impasto.social.models import Message, Post
from impasto.social.selectors.badges import CAP

register = template.Library()


@register.filter
def post_url(post: Post) -> str:
    """The page of a post (its author must be loaded, as the selectors do). Other notification
    targets (art's projects and comments) know their own URL."""
    if not isinstance(post, Post):
        return str(post.get_absolute_url())
    # A card prints its post's address two or three times: reversed once per row object.
    url = post.__dict__.get("_page_url")
    if url is None:
        url = reverse(
            "social:post-detail", kwargs={"handle": post.author.handle, "post_id": post.pk}
        )
        post.__dict__["_page_url"] = url
    return str(url)


@register.filter
def post_html(post: Post) -> SafeString:
    """A post's text as HTML. ``body_html`` was rendered and sanitized (nh3) when the post was
    written (impasto.social.text.render_post): it is the only user HTML marked safe here."""
    return mark_safe(post.body_html)  # noqa: S308 - sanitized on write, see docstring


@register.filter
def post_excerpt(post: Post, length: int = 140) -> str:
    """A post's text as plain words (no markup), cut to ``length`` characters; escaped on output
    like any other string. Other notification targets give their plain ``excerpt``."""
    if not isinstance(post, Post):
        return Truncator(" ".join(str(post.excerpt).split())).chars(length)
    text = html.unescape(strip_tags(post.body_html))
    return Truncator(" ".join(text.split())).chars(length)


@register.filter
def message_html(message: Message) -> SafeString:
    """A message as HTML, sanitized on write like posts (impasto.core.text.render_markdown)."""
    return mark_safe(message.body_html)  # noqa: S308 - sanitized on write, see docstring


@register.simple_tag
def person_avatar(person: User, size: str = "m") -> SafeString:
    """A decorative avatar (put it beside the person's name) with their picture when they have
    one; ``profile`` must be loaded, as the selectors do."""
    return avatar(person, size=size, src=picture_url(user=person, field="avatar") or "")


@register.filter
def depth_class(depth: int) -> str:
    """Indentation of a reply in a thread, capped so deep threads stay readable on a phone."""
    return f"depth-{max(0, min(int(depth or 0), MAX_DEPTH))}"


MAX_DEPTH = 4


@register.filter
def badge_count(value: int) -> str:
    """A count for a badge: "99+" once the capped count reaches its cap."""
    return f"{CAP - 1}+" if value >= CAP else str(value)


@register.simple_tag
def when(moment: dt.datetime | None) -> SafeString:
    """``<time>`` with "3 hours ago" for today's moments and the date for older ones."""
    if moment is None:
        return SafeString("")
    now = timezone.now()
    local = timezone.localtime(moment)
    if now - moment < dt.timedelta(days=1):
        text = naturaltime(moment)
    elif moment.year == now.year:
        text = date_format(local, "j M")
    else:
        text = date_format(local, "j M Y")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        text,
    )


@register.simple_tag(takes_context=True)
def here(context: dict[str, Any]) -> str:
    """Where the reader is, for ``next`` fields: the page's own path, or, in a partial answered
    to an htmx action, the ``back`` the view passed (the page the action came from)."""
    if context.get("back"):
        return str(context["back"])
    request = context.get("request")
    return request.get_full_path() if request is not None else ""
