"""Counters stay right when requests race: real threads, real transactions, both databases.

Each thread has its own database connection and runs the service in its own transaction, all
released at once by a barrier. Afterwards every counter must equal the count derived from
the source rows.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections, connection

from impasto.social.models import Conversation, ConversationMember, Follow, Message, Post, PostLike
from impasto.social.selectors.graph import counts_of
from impasto.social.services.graph import (
    block_create,
    follow_create,
    follow_delete,
    follow_request_accept,
    social_settings_update,
)
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, post_delete, repost_create
from impasto.social.services.reactions import post_like, post_unlike
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("database_for_threads"),
]


@pytest.fixture
def database_for_threads(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    """On SQLite, run the test against a WAL database file, as production does.

    The test database is normally in memory with a shared cache, where a second writer fails
    at once with "database table is locked" instead of waiting like production (a WAL file
    with ``busy_timeout`` and IMMEDIATE transactions). So the empty schema is copied into a
    file and every thread connects to that for this test; the in-memory database is kept
    alive meanwhile and is back in place afterwards. PostgreSQL needs none of this.
    """
    if connection.vendor != "sqlite":
        yield
        return
    memory = connection.settings_dict["NAME"]
    keeper = sqlite3.connect(memory, uri=True)
    file_path = str(tmp_path / "threads.sqlite3")
    target = sqlite3.connect(file_path)
    keeper.backup(target)
    target.close()
    # Django ignores close() on an in-memory database: name the file first, then close.
    connection.settings_dict["NAME"] = file_path
    connection.close()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory
        connection.ensure_connection()  # hold the in-memory database before letting go
        keeper.close()


def race(*calls: Callable[[], Any]) -> list[BaseException]:
    """Run every call in its own thread at the same moment; return the errors raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_many_followers_at_once_count_exactly() -> None:
    star = UserFactory.create()
    fans = [UserFactory.create() for _ in range(8)]
    errors = race(*[lambda f=fan: follow_create(follower=f, followee=star) for fan in fans])
    assert errors == []
    assert counts_of(star).followers == Follow.objects.filter(followee=star).count() == 8
    errors = race(*[lambda f=fan: follow_delete(follower=f, followee=star) for fan in fans[:5]])
    assert errors == []
    assert counts_of(star).followers == 3


def test_the_same_follow_twice_at_once_counts_once() -> None:
    a, b = UserFactory.create(), UserFactory.create()
    errors = race(*[lambda: follow_create(follower=a, followee=b) for _ in range(6)])
    assert errors == []
    assert Follow.objects.count() == 1
    assert (counts_of(b).followers, counts_of(a).following) == (1, 1)
    errors = race(*[lambda: follow_delete(follower=a, followee=b) for _ in range(6)])
    assert errors == []
    assert (counts_of(b).followers, counts_of(a).following) == (0, 0)


def test_mutual_follows_at_once_do_not_deadlock_or_drift() -> None:
    people = [UserFactory.create() for _ in range(4)]
    calls = [
        lambda x=x, y=y: follow_create(follower=x, followee=y)
        for x in people
        for y in people
        if x != y
    ]
    assert race(*calls) == []
    for person in people:
        assert (counts_of(person).followers, counts_of(person).following) == (3, 3)


def test_accept_unfollow_and_block_racing_leave_counters_true() -> None:
    star, fan, other = UserFactory.create(), UserFactory.create(), UserFactory.create()
    social_settings_update(user=star, locked=True)
    follow_create(follower=fan, followee=star)
    follow_create(follower=other, followee=star)
    errors = race(
        lambda: follow_request_accept(user=star, follower=fan),
        lambda: follow_request_accept(user=star, follower=fan),
        lambda: follow_delete(follower=fan, followee=star),
        lambda: follow_request_accept(user=star, follower=other),
        lambda: block_create(blocker=star, blocked=other),
    )
    assert all(type(e).__name__ == "Http404" for e in errors), errors
    accepted = Follow.objects.filter(followee=star, state=Follow.State.ACCEPTED).count()
    assert counts_of(star).followers == accepted
    assert (
        counts_of(fan).following
        == Follow.objects.filter(follower=fan, state=Follow.State.ACCEPTED).count()
    )
    assert counts_of(other).following == 0


def test_likes_and_unlikes_racing_count_exactly() -> None:
    author = UserFactory.create()
    post = post_create(author=author, body="popular")
    fans = [UserFactory.create() for _ in range(8)]
    calls: list[Callable[[], Any]] = [partial(post_like, user=f, post_id=post.pk) for f in fans]
    calls += [partial(post_like, user=fans[0], post_id=post.pk) for _ in range(3)]
    assert race(*calls) == []
    assert Post.objects.get(pk=post.pk).likes_count == PostLike.objects.count() == 8
    calls = [partial(post_unlike, user=f, post_id=post.pk) for f in fans[:4]]
    calls += [partial(post_unlike, user=fans[0], post_id=post.pk) for _ in range(3)]
    calls += [partial(post_like, user=UserFactory.create(), post_id=post.pk)]
    assert race(*calls) == []
    assert Post.objects.get(pk=post.pk).likes_count == PostLike.objects.count() == 5


def test_reposts_and_deletes_racing() -> None:
    author = UserFactory.create()
    post = post_create(author=author, body="x")
    reposters = [UserFactory.create() for _ in range(4)]
    calls = [lambda r=r: repost_create(user=r, post_id=post.pk) for r in reposters for _ in (1, 2)]
    assert race(*calls) == []
    assert Post.objects.get(pk=post.pk).reposts_count == 4
    reply = post_create(author=reposters[0], body="r", reply_to_id=post.pk)
    errors = race(*[lambda: post_delete(user=reposters[0], post_id=reply.pk) for _ in range(4)])
    assert all(type(e).__name__ == "Http404" for e in errors), errors
    assert Post.objects.get(pk=post.pk).replies_count == 0
    assert counts_of(reposters[0]).posts == 0


def test_first_messages_racing_make_one_conversation() -> None:
    sender, recipient = UserFactory.create(), UserFactory.create()
    calls = [partial(message_send, sender=sender, recipient=recipient, body="hi") for _ in range(4)]
    calls += [partial(message_send, sender=recipient, recipient=sender, body="yo")]
    errors = race(*calls)
    # The recipient's "yo" may come before any "hi" (then it is a request for the sender).
    assert errors == []
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 5
    assert ConversationMember.objects.count() == 2
