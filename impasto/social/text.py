"""Post text: light markdown with @mentions and #hashtags, parsed by markdown-it rules.

Mentions and hashtags are inline rules of the same markdown-it parser that renders the text, so
they follow its grammar: nothing inside code spans, link labels or URLs, and an ``@`` or ``#``
glued to a word (``mira@example.org``, ``issue#4``) is not one. Parsing happens once; between
parsing and rendering the caller resolves which handles exist (:func:`render_post`), so unknown
handles stay plain text. The HTML then goes through the project's sanitizer
(:func:`impasto.core.text.sanitize_html`), like every other piece of user text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from impasto.core.text import sanitize_html

HANDLE_RE = re.compile(r"[A-Za-z0-9_]{2,30}")
_HANDLE_CHAR = re.compile(r"[A-Za-z0-9_]")
# Unicode letters, digits and underscores; a tag needs at least one letter (#2024 is not one).
TAG_RE = re.compile(r"\w{1,100}")
# An @ or # starts a mention or tag only after these (or at the start of the text).
_BOUNDARY_OK = set(" \t\n\r([{<\"'!?,;:*~>") | {"\u201c", "\u2018", "\u00ab"}

MENTION_URL = "/@{handle}"
TAG_URL = "/tags/{name}"


def normalize_tag(name: str) -> str:
    """The key of a tag: accents removed, case folded (``Café`` -> ``cafe``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.casefold())


def _preceded_by_boundary(state: StateInline) -> bool:
    return state.pos == 0 or state.src[state.pos - 1] in _BOUNDARY_OK


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@" or state.linkLevel > 0 or not _preceded_by_boundary(state):
        return False
    match = HANDLE_RE.match(state.src, state.pos + 1)
    if not match:
        return False
    end = match.end()
    # A longer run of handle characters, or a second @ (someone@elsewhere.social), is no
    # local mention.
    if end < state.posMax and (state.src[end] == "@" or _HANDLE_CHAR.match(state.src[end])):
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.content = match.group(0)
        token.meta = {"handle": match.group(0).lower()}
        state.env.setdefault("mentions", []).append(match.group(0).lower())
    state.pos = end
    return True


def _hashtag_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "#" or state.linkLevel > 0 or not _preceded_by_boundary(state):
        return False
    match = TAG_RE.match(state.src, state.pos + 1)
    if not match or not any(c.isalpha() for c in match.group(0)):
        return False
    end = match.end()
    if end < state.posMax and TAG_RE.match(state.src[end]):
        return False  # longer than 100 characters: not a tag
    if not silent:
        display = match.group(0)
        token = state.push("hashtag", "", 0)
        token.content = display
        token.meta = {"name": normalize_tag(display)}
        state.env.setdefault("hashtags", []).append((normalize_tag(display), display))
    state.pos = end
    return True


def _render_mention(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    text = escape("@" + token.content)
    handle = token.meta["handle"]
    if handle in env.get("known_handles", ()):
        return f'<a href="{escape(MENTION_URL.format(handle=handle))}">{text}</a>'
    return text


def _render_hashtag(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = TAG_URL.format(name=quote(token.meta["name"]))
    return f'<a href="{escape(href)}">{escape("#" + token.content)}</a>'


def _configure(md: MarkdownIt) -> MarkdownIt:
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.inline.ruler.before("emphasis", "hashtag", _hashtag_rule)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("hashtag", _render_hashtag)
    return md


@cache
def _parser() -> MarkdownIt:
    # Light markdown: emphasis, links, lists, quotes, code; no headings, no images in text
    # (images are real uploads), raw HTML off. Bare http(s) URLs become links; emails do not.
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
        .enable(["strikethrough", "linkify"])
        .disable(["image", "heading", "lheading"])
    )
    assert md.linkify is not None  # linkify-it-py is a dependency
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    return _configure(md)


@dataclass
class ParsedText:
    """What the text refers to, in order of appearance, without duplicates."""

    tokens: list[Token]
    env: dict[str, Any]
    mentions: list[str] = field(default_factory=list)  # lowercase handles
    hashtags: list[tuple[str, str]] = field(default_factory=list)  # (name, as written)
    links: list[str] = field(default_factory=list)  # hrefs, as written


def parse_post(text: str) -> ParsedText:
    env: dict[str, Any] = {}
    tokens = _parser().parse(text or "", env)
    links: list[str] = []
    for block in tokens:
        for token in block.children or ():
            if token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                if href and href not in links:
                    links.append(href)
    hashtags: list[tuple[str, str]] = []
    for name, display in env.get("hashtags", []):
        if name not in {n for n, _ in hashtags}:
            hashtags.append((name, display))
    return ParsedText(
        tokens=tokens,
        env=env,
        mentions=list(dict.fromkeys(env.get("mentions", []))),
        hashtags=hashtags,
        links=links,
    )


def render_post(parsed: ParsedText, *, known_handles: Collection[str]) -> SafeString:
    """HTML for a parsed text; ``@handle`` becomes a link only for ``known_handles``."""
    md = _parser()
    env = {**parsed.env, "known_handles": frozenset(known_handles)}
    return sanitize_html(md.renderer.render(parsed.tokens, md.options, env))


def own_site_path(href: str) -> str | None:
    """The path of ``href`` when it points at this site (absolute on SITE_URL, or relative).

    Only the path is kept: previews come from our own URL resolver and database, never from a
    fetch, so there is no outbound request to forge.
    """
    parts = urlsplit(href)
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme or parts.netloc) and (
        parts.scheme not in {"http", "https"} or parts.netloc.lower() != site.netloc.lower()
    ):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path[:300]


def clean_text(value: str, *, max_length: int, label: str) -> str:
    """Normalise user text (NFC, ``\\n`` line ends, trimmed) and refuse what cannot be stored."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(
            _("%(field)s contains a character that is not allowed.") % {"field": label},
            code="null_character",
        )
    if len(value) > max_length:
        raise ValidationError(
            _("%(field)s can be at most %(max)d characters (it has %(length)d).")
            % {"field": label, "max": max_length, "length": len(value)},
            code="too_long",
        )
    return value
