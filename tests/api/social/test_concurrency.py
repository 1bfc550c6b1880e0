"""Counters stay right when API requests race: real threads, each with its own connection.

Built on the thread harness of ``tests/social/test_concurrency.py`` (a WAL database file on
SQLite, as in production; PostgreSQL as is).
"""

from __future__ import annotations

import threading
from functools import partial

import pytest
from django.test import Client

from impasto.api.services import token_create
from impasto.social.models import Post, PostLike
from impasto.social.services.posts import post_create
from tests.factories import UserFactory
from tests.social.test_concurrency import database_for_threads, race  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("database_for_threads"),
]


class Statuses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[int] = []

    def call(self, method: str, path: str, raw: str) -> None:
        response = getattr(Client(), method)(path, headers={"Authorization": f"Bearer {raw}"})
        with self.lock:
            self.seen.append(response.status_code)


def test_likes_and_unlikes_racing_through_the_api_count_exactly() -> None:
    post = post_create(author=UserFactory.create(), body="popular")
    fans = [UserFactory.create() for _ in range(8)]
    tokens = [token_create(user=fan, name="app", scope="write")[1] for fan in fans]
    path = f"/api/v1/posts/{post.pk}/like"

    statuses = Statuses()
    calls = [partial(statuses.call, "post", path, raw) for raw in tokens]
    calls += [partial(statuses.call, "post", path, tokens[0]) for _ in range(3)]  # double taps
    assert race(*calls) == []
    assert statuses.seen == [200] * 11
    assert Post.objects.get(pk=post.pk).likes_count == PostLike.objects.count() == 8

    statuses = Statuses()
    calls = [partial(statuses.call, "delete", path, raw) for raw in tokens[:4]]
    calls += [partial(statuses.call, "delete", path, tokens[0]) for _ in range(3)]
    calls += [partial(statuses.call, "post", path, tokens[4])]  # already liked: no change
    assert race(*calls) == []
    assert sorted(statuses.seen) == [200] + [204] * 7
    assert Post.objects.get(pk=post.pk).likes_count == PostLike.objects.count() == 4
    shown = Client().get(f"/api/v1/posts/{post.pk}").json()["counts"]["likes"]
    assert shown == 4
