"""Redis home timelines (fan-out on write) against the real Redis, and the fallbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.feeds import timelines
from impasto.feeds.filters import FeedFilters
from impasto.feeds.selectors import feed_following
from impasto.feeds.services import home_fanout
from impasto.social.models import Post
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create, follow_delete
from impasto.social.services.posts import post_create, post_delete

pytestmark = pytest.mark.django_db


def ids(user: User, **kwargs: Any) -> list[int]:
    return [item.view.post.pk for item in feed_following(viewer_for(user), **kwargs).items]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_first_read_builds_the_list_and_new_posts_are_pushed(
    redis_cache: None, alice: User, bob: User, on_commit: Callable[[], Any]
) -> None:
    with on_commit():
        follow_create(follower=alice, followee=bob)
        old = post_create(author=bob, body="before the list")
    assert timelines.home_ids(alice.pk) is None  # cold: nobody read yet
    assert ids(alice) == [old.pk]
    assert timelines.home_ids(alice.pk) == [old.pk]  # rebuilt from SQL
    with on_commit():
        new = post_create(author=bob, body="fanned out")
    assert timelines.home_ids(alice.pk) == [new.pk, old.pk]
    assert ids(alice) == [new.pk, old.pk]


def test_reads_come_from_the_list(redis_cache: None, alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    shown = post_create(author=bob, body="in the list")
    missing = post_create(author=bob, body="never pushed")
    timelines.home_store(alice.pk, [shown.pk])
    assert ids(alice) == [shown.pk]  # the list answers (it holds the whole history)
    assert missing.pk in ids(bob)


def test_a_stale_list_never_shows_what_the_reader_may_not_see(
    redis_cache: None, alice: User, bob: User, carol: User, on_commit: Callable[[], Any]
) -> None:
    with on_commit():
        follow_create(follower=alice, followee=bob)
        follow_create(follower=alice, followee=carol)
    deleted = post_create(author=bob, body="deleted later")
    by_carol = post_create(author=carol, body="blocked later")
    kept = post_create(author=bob, body="stays")
    words = post_create(author=bob, body="spoilers")
    timelines.home_store(alice.pk, [words.pk, kept.pk, by_carol.pk, deleted.pk])
    post_delete(user=bob, post_id=deleted.pk)
    block_create(blocker=carol, blocked=alice)
    assert timelines.home_ids(alice.pk) == [words.pk, kept.pk, by_carol.pk, deleted.pk]
    assert ids(alice) == [words.pk, kept.pk]
    assert ids(alice, filters=FeedFilters(muted_words=("spoilers",))) == [kept.pk]
    Post.objects.filter(pk=kept.pk).update(visibility="followers")
    with on_commit():
        follow_delete(follower=alice, followee=bob)
    assert ids(alice) == []


def test_following_someone_drops_the_list_for_a_rebuild(
    redis_cache: None, alice: User, bob: User, on_commit: Callable[[], Any]
) -> None:
    older = post_create(author=bob, body="older")
    timelines.home_store(alice.pk, [])
    assert ids(alice) == []
    with on_commit():
        follow_create(follower=alice, followee=bob)
    assert timelines.home_ids(alice.pk) is None
    assert ids(alice) == [older.pk]


def test_a_trimmed_list_falls_back_to_sql_past_its_end(
    redis_cache: None, alice: User, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timelines, "CAP", 5)
    follow_create(follower=alice, followee=bob)
    posts = [post_create(author=bob, body=f"p{n}").pk for n in range(12)]
    newest_first = posts[::-1]
    seen: list[int] = []
    before = None
    while True:
        page = feed_following(viewer_for(alice), before=before, limit=4)
        seen += [item.view.post.pk for item in page.items]
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert seen == newest_first
    assert len(timelines.home_ids(alice.pk) or []) == 5


def test_fanout_reaches_every_follower_with_a_list(
    redis_cache: None, bob: User, make_user: Callable[..., User]
) -> None:
    fans = [make_user() for _ in range(30)]
    for fan in fans:
        follow_create(follower=fan, followee=bob)
    for fan in fans[:20]:
        timelines.home_store(fan.pk, [1])
    post = post_create(author=bob, body="hello fans")
    assert home_fanout(post_id=post.pk) == 20  # readers without a list are skipped
    assert timelines.home_ids(fans[0].pk) == [post.pk, 1]
    assert timelines.home_ids(fans[25].pk) is None


def test_cached_page_costs_no_more_queries_than_sql(
    redis_cache: None, alice: User, bob: User
) -> None:
    follow_create(follower=alice, followee=bob)
    for n in range(25):
        post_create(author=bob, body=f"n{n}")
    viewer = viewer_for(alice)
    feed_following(viewer)  # warm
    with CaptureQueriesContext(connection) as warm:
        feed_following(viewer)
    assert len(warm.captured_queries) <= 3  # posts; (quotes, images when any)


@pytest.fixture
def redis_down() -> Iterator[None]:
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=config):
        yield


def test_feed_still_answers_when_redis_is_down(
    redis_down: None, alice: User, bob: User, on_commit: Callable[[], Any]
) -> None:
    with on_commit():
        follow_create(follower=alice, followee=bob)
        post = post_create(author=bob, body="still here")  # the fan-out task fails quietly
    assert ids(alice) == [post.pk]


def test_a_page_is_read_from_the_newest_ids_and_sql_fills_what_filters_thinned(
    redis_cache: None, alice: User, bob: User
) -> None:
    """The list's newest few pages' worth of ids make the page (the array PostgreSQL is given
    stays short); when the reader's filters leave that window short of a page, SQL answers."""
    follow_create(follower=alice, followee=bob)
    kept = [post_create(author=bob, body=f"kept {n}") for n in range(3)]
    muted = [post_create(author=bob, body=f"spoilers {n}") for n in range(8)]
    history = [p.pk for p in reversed(kept + muted)]  # newest first, as the list keeps it
    timelines.home_store(alice.pk, history)
    muting = FeedFilters(muted_words=("spoilers",))
    # limit 2: a window of 3 * 3 = 9 ids, all but one of them muted
    with CaptureQueriesContext(connection) as plain:
        page = feed_following(viewer_for(alice), limit=2)
    assert [i.view.post.pk for i in page.items] == history[:2]
    assert ids(alice, filters=muting, limit=2) == [kept[2].pk, kept[1].pk]  # SQL filled it
    assert ids(alice, filters=muting, limit=5) == [p.pk for p in reversed(kept)]
    assert not any("social_post" in q["sql"] and "LIMIT 400" in q["sql"] for q in plain)
