"""Each feed costs the same number of queries for a short page as for a full one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.api.services import token_create
from impasto.feeds.services import feed_preferences_update
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_like
from tests.factories import UserFactory
from tests.feeds.conftest import attach

pytestmark = pytest.mark.django_db


def _fill(author: User, other: User, reader: User, count: int) -> None:
    """``count`` rows of every kind a card shows: plain, reposts, quotes, images, liked."""
    for n in range(count):
        kind = n % 4
        if kind == 0:
            post = post_create(author=author, body=f"plain #ink {n}")
        elif kind == 1:
            post = repost_create(user=author, post_id=post_create(author=other, body=f"o{n}").pk)
        elif kind == 2:
            quoted = post_create(author=other, body=f"q{n}")
            post = post_create(author=author, body=f"quote {n}", quote_of_id=quoted.pk)
        else:
            post = post_create(author=author, body=f"work {n}")
            attach(post, alt_text="a drawing")
        post_like(user=reader, post_id=post.repost_of_id or post.pk)


def count(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries)


@pytest.mark.parametrize("with_filters", [False, True])
def test_feed_pages_cost_the_same_for_4_or_20_items(with_filters: bool) -> None:
    reader = UserFactory.create()
    author = UserFactory.create()
    other = UserFactory.create()
    follow_create(follower=reader, followee=author)
    if with_filters:
        feed_preferences_update(
            user=reader, muted_words=["zzz"], muted_tags=["nope"], mature="hide"
        )
    client = Client()
    client.force_login(reader)
    _, raw = token_create(user=reader, name="q", scope="read")
    api = {"Authorization": f"Bearer {raw}"}
    urls = {
        "following page": ("/feed", None),
        "latest page": ("/feed/latest", None),
        "following api": ("/api/v1/feeds/following", api),
        "latest api": ("/api/v1/feeds/latest", api),
    }
    _fill(author, other, reader, 4)
    for url, headers in urls.values():  # first use of a token records it (one write, once)
        client.get(url, headers=headers or {})
    short = {name: count(client, url, headers) for name, (url, headers) in urls.items()}
    _fill(author, other, reader, 24)
    full = {name: count(client, url, headers) for name, (url, headers) in urls.items()}
    assert short == full
    # API: token; the reader's relations; preferences; the page's post ids; the posts to show;
    # quoted posts; images with their assets; the assets' variants (docs/social.md, "Images").
    assert full["following api"] == 8
