"""Notifications through the API: grouped as the web shows them, unread count, marking read."""

from __future__ import annotations

import pytest

from impasto.social.models import Notification
from impasto.social.models.notifications import NotificationKind
from impasto.social.selectors.notifications import UNREAD_CAP
from impasto.social.services.graph import follow_create, mute_create
from impasto.social.services.posts import post_create
from impasto.social.services.reactions import post_like
from tests.api.social.conftest import assert_error, fields

pytestmark = pytest.mark.django_db


def test_notifications_are_grouped_with_a_sentence_actors_and_the_post(
    api, alice, bob, carol, make_user, commit
) -> None:
    post = post_create(author=alice, body="my *work*")
    dave = make_user(handle="dave", display_name="Dave")
    with commit():
        for fan in (bob, carol, dave):
            post_like(user=fan, post_id=post.pk)
    with commit():
        reply = post_create(author=bob, body="@alice nice", reply_to_id=post.pk)
    with commit():
        follow_create(follower=carol, followee=alice)
    page = api(alice).get("/api/v1/notifications").json()
    follow, replied, liked = page["items"]
    assert page["before"] is None
    assert liked["kind"] == "like"
    assert liked["count"] == 3
    assert liked["summary"] == "Dave and 2 others liked your post"
    assert [a["handle"] for a in liked["actors"]] == ["dave", "carol", "bob"]
    assert liked["target"]["type"] == "post"
    assert liked["target"]["id"] == str(post.pk)
    assert liked["target"]["post"]["body_html"].strip() == "<p>my <em>work</em></p>"
    assert liked["target"]["post"]["author"]["handle"] == "alice"
    assert liked["unread"] is True
    assert replied["kind"] == "reply"
    assert replied["target"]["post"]["id"] == str(reply.pk)
    assert follow["kind"] == "follow"
    assert follow["target"] is None
    assert follow["summary"] == "Carol followed you"


def test_notifications_from_muted_people_disappear(api, alice, bob, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
    assert api(alice).get("/api/v1/notifications/unread-count").json() == {
        "count": 1,
        "more": False,
    }
    mute_create(muter=alice, muted=bob)
    assert api(alice).get("/api/v1/notifications").json()["items"] == []
    assert api(alice).get("/api/v1/notifications/unread-count").json()["count"] == 0


def test_unread_count_stops_at_the_cap(api, alice, bob) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=alice,
            actor=bob,
            kind=NotificationKind.FOLLOW,
            target_id=n,
            group_key=f"follow:{n}",
        )
        for n in range(UNREAD_CAP + 5)
    )
    assert api(alice).get("/api/v1/notifications/unread-count").json() == {
        "count": UNREAD_CAP,
        "more": True,
    }


def test_notifications_read_up_to_a_group_then_all(api, alice, bob, carol, commit) -> None:
    first = post_create(author=alice, body="first")
    second = post_create(author=alice, body="second")
    with commit():
        post_like(user=bob, post_id=first.pk)
    with commit():
        post_like(user=carol, post_id=second.pk)
    caller = api(alice)
    newest, oldest = caller.get("/api/v1/notifications").json()["items"]
    marked = caller.post("/api/v1/notifications/read", {"up_to": oldest["id"]})
    assert marked.json() == {"marked": 1}
    assert [g["unread"] for g in caller.get("/api/v1/notifications").json()["items"]] == [
        True,
        False,
    ]
    unread_only = caller.get("/api/v1/notifications", unread="true").json()["items"]
    assert [g["id"] for g in unread_only] == [newest["id"]]
    assert caller.post("/api/v1/notifications/read").json() == {"marked": 1}
    assert caller.get("/api/v1/notifications/unread-count").json()["count"] == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_notifications_read_refuses_a_bad_body(api, alice, bob, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
    for body in ({"up_to": "latest"}, {"everything": True}):
        assert fields(api(alice).post("/api/v1/notifications/read", body)) == [next(iter(body))]
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_notifications_need_an_account(api) -> None:
    for path in ("/api/v1/notifications", "/api/v1/notifications/unread-count"):
        assert_error(api(None).get(path), 401)
    assert_error(api(None).post("/api/v1/notifications/read"), 401)
