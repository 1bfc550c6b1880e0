"""Post text: mention and hashtag parsing, rendering, sanitizing, own-site links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from impasto.social.models import Post, PostMention, PostTag, Tag
from impasto.social.services.posts import post_create
from impasto.social.text import clean_text, normalize_tag, own_site_path, parse_post, render_post


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("hello @mira", ["mira"]),
        ("@Mira at the start, @MIRA again", ["mira"]),
        ("write to mira@example.org", []),  # an email is not a mention
        ("(@theo_lenoir) and @sana.", ["theo_lenoir", "sana"]),
        ("@someone@mastodon.social is elsewhere", []),
        ("`@mira` in code", []),
        ("```\n@mira in a block\n```", []),
        ("[a link to @mira](https://example.org)", []),
        ("https://impasto.example/@mira is a URL", []),
        ("@a is too short, @" + "x" * 31 + " too long", []),
        ("*@mira* in emphasis", ["mira"]),
        ("email@@mira", []),
    ],
)
def test_mentions_follow_the_parser_rule(text: str, mentions: list[str]) -> None:
    assert parse_post(text).mentions == mentions


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#Café and #cafe and #CAFÉ", [("cafe", "Café")]),
        ("#ÉtéIndien", [("eteindien", "ÉtéIndien")]),
        ("issue#4 and a#b are not tags", []),
        ("#2024 alone is not a tag, #art2024 is", [("art2024", "art2024")]),
        ("`#code`", []),
        ("# heading is not a tag", []),
        ("#日本画 works in any script", [("日本画", "日本画")]),
        ("https://example.org/page#anchor", []),
    ],
)
def test_hashtags_are_normalised_and_found_only_where_they_should(text, tags) -> None:
    assert parse_post(text).hashtags == tags


def test_normalize_tag_folds_case_and_accents() -> None:
    assert normalize_tag("Café") == normalize_tag("CAFE") == normalize_tag("cafe\u0301") == "cafe"
    assert normalize_tag("Straße") == "strasse"


def test_render_links_known_mentions_only() -> None:
    parsed = parse_post("hi @mira and @ghost")
    html = render_post(parsed, known_handles={"mira"})
    assert '<a href="/@mira"' in html
    assert "@ghost" in html
    assert 'href="/@ghost"' not in html


def _markup(html: str) -> tuple[set[str], list[tuple[str, str]]]:
    """The elements and attributes a browser would build from ``html``."""
    from html.parser import HTMLParser

    tags: set[str] = set()
    attributes: list[tuple[str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            attributes.extend((name, value or "") for name, value in attrs)

    Collect().feed(html)
    return tags, attributes


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![img](https://evil.example/x.png)",
        "#<script>alert(1)</script>",
        "@<b>mira</b>",
    ],
)
def test_render_never_lets_html_through(evil: str) -> None:
    html = render_post(parse_post(evil), known_handles={"mira"})
    tags, attributes = _markup(html)
    assert tags <= {"p", "a", "b", "strong", "em"}, tags
    assert not [value for name, value in attributes if name != "rel" and "javascript" in value]
    assert not [name for name, _ in attributes if name.startswith("on")]


def test_bare_urls_become_links_but_emails_do_not() -> None:
    html = render_post(parse_post("see https://example.org/a and me@example.org"), known_handles=())
    assert '<a href="https://example.org/a"' in html
    assert "mailto:" not in html


@override_settings(SITE_URL="https://impasto.example")
@pytest.mark.parametrize(
    ("href", "path"),
    [
        ("https://impasto.example/@mira", "/@mira"),
        ("https://IMPASTO.example/x?y=1#z", "/x"),
        ("/relative/path", "/relative/path"),
        ("https://evil.example/@mira", None),
        ("//evil.example/x", None),
        ("ftp://impasto.example/x", None),
        ("javascript:alert(1)", None),
        ("http://169.254.169.254/latest/meta-data", None),
    ],
)
def test_own_site_path_accepts_only_this_site(href: str, path: str | None) -> None:
    assert own_site_path(href) == path


def test_clean_text_refuses_nul_and_overlong_and_normalises() -> None:
    assert clean_text("  cafe\u0301\r\nx  ", max_length=10, label="Text") == "café\nx"
    with pytest.raises(ValidationError):
        clean_text("a\x00b", max_length=10, label="Text")
    with pytest.raises(ValidationError) as error:
        clean_text("x" * 11, max_length=10, label="Text")
    assert "at most 10" in str(error.value)


@pytest.mark.django_db
def test_post_mentions_are_case_insensitive_and_unknown_handles_ignored(alice, bob) -> None:
    post = post_create(author=alice, body="Thanks @BOB and @Bob and @nobody_here and @alice")
    assert list(PostMention.objects.filter(post=post).values_list("user__handle", flat=True)) == [
        "bob"
    ]
    assert post.body_html.count('href="/@bob"') == 2
    assert 'href="/@nobody_here"' not in post.body_html
    assert 'href="/@alice"' in post.body_html  # self-mention: a link, not a notification


@pytest.mark.django_db
def test_post_hashtags_share_one_tag_whatever_the_accents(alice, bob) -> None:
    first = post_create(author=alice, body="#Café au lait")
    second = post_create(author=bob, body="#CAFE noir #cafe")
    assert Tag.objects.count() == 1
    tag = Tag.objects.get()
    assert (tag.name, tag.display_name) == ("cafe", "Café")
    assert set(PostTag.objects.values_list("post_id", flat=True)) == {first.pk, second.pk}


@pytest.mark.django_db
def test_post_stores_sanitized_html_only(alice) -> None:
    post = post_create(author=alice, body="<script>alert(1)</script> **bold**")
    stored = Post.objects.get(pk=post.pk)
    assert "<script" not in stored.body_html
    assert "<strong>bold</strong>" in stored.body_html
    assert stored.body == "<script>alert(1)</script> **bold**"  # the source is kept as written
