"""User text to safe HTML: light markdown, then an allowlist sanitizer.

Every rendering of user-written text (bios, captions, posts, messages) goes through
:func:`render_markdown`, so there is one place where stored XSS is stopped. Raw HTML in the
source is never passed through: markdown-it runs with ``html`` off, and nh3 (ammonia) then
removes anything outside the allowlist, including ``javascript:`` links.
"""

from __future__ import annotations

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    # Headings are demoted in CSS; images are never allowed from text (only real uploads).
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
        .enable("strikethrough")
        .disable("image")
    )


def sanitize_html(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitized it


def render_markdown(text: str) -> SafeString:
    return sanitize_html(_parser().render(text or ""))
