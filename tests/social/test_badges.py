"""The header's unread badges: one cheap query, its SQL compiled once per shape of reader (on
PostgreSQL), and never a notification the reader may no longer see (docs/scaling.md)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from impasto.social.models import Notification, Post
from impasto.social.selectors import badges
from impasto.social.selectors.badges import badges_of
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create
from impasto.social.services.posts import post_create, post_delete
from impasto.social.services.reactions import post_like

pytestmark = pytest.mark.django_db


def test_a_deleted_post_leaves_the_count_while_the_statement_is_reused(
    alice, bob, carol, commit
) -> None:
    mine = post_create(author=alice, body="liked")
    with commit():
        post_like(user=bob, post_id=mine.pk)
        mention = post_create(author=carol, body="hello @alice")
        follow_create(follower=carol, followee=alice)
    viewer = viewer_for(alice)
    assert badges_of(viewer).notifications == 3  # like, mention, follow
    kept = badges.badge_statement(viewer)[0]
    # Deleted without the service (a takedown, a write racing the notification task): the
    # notification row stays, only the rule read with the count can hide it.
    Post.objects.filter(pk=mention.pk).update(deleted_at=timezone.now())
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 3
    # The same reader: the compiled statement is reused, and the count is read afresh.
    assert badges_of(viewer).notifications == 2
    assert badges.badge_statement(viewer)[0] is kept
    post_delete(user=alice, post_id=mine.pk)
    assert badges_of(viewer).notifications == 1  # the follow has no target


def test_a_block_hides_the_blocked_persons_post_and_actions_at_once(
    alice, bob, carol, commit
) -> None:
    mine = post_create(author=alice, body="liked")
    with commit():
        post_like(user=bob, post_id=mine.pk)
        post_create(author=carol, body="hello @alice")
    before = viewer_for(alice)
    assert badges_of(before).notifications == 2
    block_create(blocker=carol, blocked=alice)  # carol's post is now out of alice's reach
    after = viewer_for(alice)
    assert after != before  # new relations: new values bound (and here a new shape)
    assert badges_of(after).notifications == 1
    block_create(blocker=alice, blocked=bob)
    assert badges_of(viewer_for(alice)).notifications == 0


def test_a_post_that_becomes_unreachable_through_its_thread_is_not_counted(
    alice, bob, carol, commit
) -> None:
    """A reply under a post the reader may not see is hidden; its mention is not counted."""
    root = post_create(author=carol, body="root")
    with commit():
        post_create(author=bob, body="@alice look", reply_to_id=root.pk)
    viewer = viewer_for(alice)
    assert badges_of(viewer).notifications == 1
    block_create(blocker=carol, blocked=alice)
    assert badges_of(viewer_for(alice)).notifications == 0


@pytest.mark.parametrize("unread", [2, 30])
def test_badges_cost_one_query_whatever_the_backlog(
    alice, make_user, commit, django_assert_num_queries, unread
) -> None:
    posts = [post_create(author=alice, body=f"p{i}") for i in range(unread)]
    people = [make_user() for _ in range(3)]
    with commit():
        for i, post in enumerate(posts):
            post_like(user=people[i % 3], post_id=post.pk)
    viewer = viewer_for(alice)
    with django_assert_num_queries(1):
        assert badges_of(viewer).notifications == unread
    with django_assert_num_queries(1):  # compiled once: the second call only runs it
        assert badges_of(viewer).notifications == unread


def test_the_badge_query_tests_each_notifications_own_target(alice, bob, commit) -> None:
    """Never ``target_id IN (every post the reader may see)``: PostgreSQL hashed that whole
    sub-select (every visible post on the site) for each page."""
    mine = post_create(author=alice, body="liked")
    with commit():
        post_like(user=bob, post_id=mine.pk)
    with CaptureQueriesContext(connection) as queries:
        badges_of(viewer_for(alice))
    sql = queries.captured_queries[-1]["sql"]
    assert "EXISTS" in sql
    assert '"target_id" IN (SELECT' not in sql


def test_a_page_shows_the_badge_of_the_readers_own_count(alice, bob, commit) -> None:
    mine = post_create(author=alice, body="liked")
    with commit():
        post_like(user=bob, post_id=mine.pk)
    client = Client()
    client.force_login(alice)
    assert b"1 unread" in client.get("/feed").content
    post_delete(user=alice, post_id=mine.pk)
    assert b"1 unread" not in client.get("/feed").content


def test_the_bound_statement_is_the_one_django_compiles(alice, bob, carol, commit) -> None:
    """Readers of every shape: the kept statement with their ids bound is, text and parameters,
    what Django compiles for them (PostgreSQL; SQLite compiles each time)."""
    from impasto.core.statements import arrays_bind
    from impasto.social.services.graph import mute_create

    with commit():
        post_like(user=bob, post_id=post_create(author=alice, body="liked").pk)
    readers = [viewer_for(alice)]
    follow_create(follower=alice, followee=bob)
    readers.append(viewer_for(alice))
    block_create(blocker=carol, blocked=alice)
    mute_create(muter=alice, muted=bob)
    readers += [viewer_for(alice), viewer_for(carol), viewer_for(bob)]
    for viewer in readers:
        sql, params = badges._compile(viewer)
        statement, values = badges.badge_statement(viewer)
        if connection.vendor == "postgresql":
            arrays = [
                "{" + ",".join(map(str, p)) + "}" if isinstance(p, list) else p for p in params
            ]
            assert (statement.sql, statement.bind(values)) == (sql, arrays)
        else:
            assert not arrays_bind(connection.alias)
