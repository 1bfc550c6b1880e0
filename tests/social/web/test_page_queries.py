"""The tag page and the profile's pages cost the same number of queries for 4 posts as for a
full page (docs/scaling.md): nothing is read per card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_like
from tests.factories import UserFactory
from tests.feeds.conftest import attach

pytestmark = pytest.mark.django_db


def _fill(author: User, other: User, reader: User, count: int) -> None:
    """``count`` tagged posts of every kind a card shows: plain, quote, images, repost."""
    for n in range(count):
        kind = n % 4
        if kind == 0:
            post = post_create(author=author, body=f"plain #ink {n}")
        elif kind == 1:
            quoted = post_create(author=other, body=f"q{n}")
            post = post_create(author=author, body=f"quote #ink {n}", quote_of_id=quoted.pk)
        elif kind == 2:
            post = post_create(author=author, body=f"work #ink {n}")
            attach(post, alt_text="a drawing", asset_id=1000 + n)
        else:
            post = repost_create(
                user=author, post_id=post_create(author=other, body=f"#ink {n}").pk
            )
        post_like(user=reader, post_id=post.repost_of_id or post.pk)


def _count(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries), response.content.count(b'class="post"')


def test_tag_and_profile_pages_cost_the_same_for_4_or_20_posts() -> None:
    author = UserFactory.create(handle="painter")
    other = UserFactory.create()
    reader = UserFactory.create()
    member = Client()
    member.force_login(reader)
    visitor = Client()
    urls = ["/tags/ink", "/@painter/posts"]
    _fill(author, other, reader, 4)
    short = {
        (who, url): _count(client, url)
        for who, client in (("member", member), ("visitor", visitor))
        for url in urls
    }
    _fill(author, other, reader, 24)
    full = {
        (who, url): _count(client, url)
        for who, client in (("member", member), ("visitor", visitor))
        for url in urls
    }
    for key, (queries, cards) in full.items():
        assert queries == short[key][0], key
        assert cards > short[key][1], key  # the page did get longer
    # Visitor, tag page: tag, post ids, posts, quoted posts, images with assets, variants. A
    # member adds the session, the user, their relations, their feed filters and the header's
    # badges (one query); the profile adds the person, their disciplines, settings, counters,
    # whether they follow the reader, and the conversation for the Message button, and no tag
    # or filters.
    assert {key: value[0] for key, value in full.items()} == {
        ("member", "/tags/ink"): 11,
        ("member", "/@painter/posts"): 15,
        ("visitor", "/tags/ink"): 6,
        ("visitor", "/@painter/posts"): 9,
    }
