"""The social graph through the API: follow, requests, remove, block, mute, lists, tabs."""

from __future__ import annotations

import pytest

from impasto.social.models import Block, Follow, Mute
from impasto.social.selectors.graph import counts_of
from impasto.social.services.graph import (
    block_create,
    follow_create,
    social_settings_update,
)
from impasto.social.services.posts import post_create
from impasto.social.services.reactions import post_like
from tests.api.social.conftest import assert_error, fields

pytestmark = pytest.mark.django_db

NOTHING = {
    "is_self": False,
    "following": False,
    "followed_by": False,
    "requested": False,
    "requested_by": False,
    "blocking": False,
    "muting": False,
}


def test_follow_and_unfollow_answer_the_relationship_and_move_the_counters(api, alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    response = api(alice).post("/api/v1/profiles/BOB/follow")
    assert response.status_code == 200
    assert response.json() == {**NOTHING, "following": True, "followed_by": True}
    assert (counts_of(bob).followers, counts_of(alice).following) == (1, 1)
    assert api(alice).get("/api/v1/profiles/@bob/relationship").json()["following"] is True
    response = api(alice).delete("/api/v1/profiles/bob/follow")
    assert response.json() == {**NOTHING, "followed_by": True}
    assert counts_of(bob).followers == 0


def test_follow_of_a_locked_account_is_a_request_until_accepted(api, alice, bob) -> None:
    social_settings_update(user=bob, locked=True)
    assert api(alice).post("/api/v1/profiles/bob/follow").json()["requested"] is True
    requests = api(bob).get("/api/v1/me/follow-requests").json()
    assert [p["handle"] for p in requests["items"]] == ["alice"]
    assert requests["items"][0]["relationship"]["requested_by"] is True
    accepted = api(bob).post("/api/v1/me/follow-requests/alice/accept")
    assert accepted.json() == {**NOTHING, "followed_by": True}
    assert Follow.objects.get().state == Follow.State.ACCEPTED
    assert api(bob).get("/api/v1/me/follow-requests").json()["items"] == []
    assert_error(api(bob).post("/api/v1/me/follow-requests/alice/reject"), 404)


def test_follow_request_reject_removes_the_request(api, alice, bob) -> None:
    social_settings_update(user=bob, locked=True)
    follow_create(follower=alice, followee=bob)
    assert api(bob).post("/api/v1/me/follow-requests/alice/reject").json() == NOTHING
    assert Follow.objects.count() == 0
    assert api(alice).get("/api/v1/profiles/bob/relationship").json() == NOTHING


def test_follower_remove_stops_them_following(api, alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    assert api(alice).delete("/api/v1/me/followers/bob").json() == NOTHING
    assert Follow.objects.count() == 0
    assert counts_of(alice).followers == 0


@pytest.mark.parametrize("action", ["follow", "block", "mute"])
def test_following_blocking_or_muting_oneself_is_422_on_the_handle(api, alice, action) -> None:
    assert fields(api(alice).post(f"/api/v1/profiles/alice/{action}")) == ["handle"]
    assert (Follow.objects.count(), Block.objects.count(), Mute.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("handle", ["nobody", "x", "bad%00", "a" * 40])
def test_acting_on_someone_who_does_not_exist_is_404(api, alice, handle) -> None:
    for method, path in [
        ("post", f"/api/v1/profiles/{handle}/follow"),
        ("delete", f"/api/v1/profiles/{handle}/block"),
        ("get", f"/api/v1/profiles/{handle}/posts"),
        ("post", f"/api/v1/me/follow-requests/{handle}/accept"),
    ]:
        assert_error(getattr(api(alice), method)(path), 404)


def test_block_ends_follows_hides_both_ways_and_can_be_undone(api, alice, bob) -> None:
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)
    post_create(author=bob, body="bob's")
    response = api(alice).post("/api/v1/profiles/bob/block")
    assert response.json() == {**NOTHING, "blocking": True}
    assert Follow.objects.count() == 0
    # Bob cannot see Alice's lists any more, and his own relationship call says nothing.
    assert_error(api(bob).get("/api/v1/profiles/alice/posts"), 404)
    assert_error(api(bob).get("/api/v1/profiles/alice/relationship"), 404)
    assert_error(api(bob).post("/api/v1/profiles/alice/follow"), 404)
    # Alice still reaches the switch to undo it.
    assert api(alice).get("/api/v1/profiles/bob/relationship").json()["blocking"] is True
    assert api(alice).delete("/api/v1/profiles/bob/block").json() == NOTHING
    assert api(bob).get("/api/v1/profiles/alice/posts").status_code == 200


def test_mute_is_invisible_to_the_muted_person(api, alice, bob) -> None:
    assert api(alice).post("/api/v1/profiles/bob/mute").json()["muting"] is True
    assert api(bob).get("/api/v1/profiles/alice/relationship").json() == NOTHING
    assert api(alice).delete("/api/v1/profiles/bob/mute").json() == NOTHING
    assert Mute.objects.count() == 0


def test_followers_and_following_lists_carry_my_relationship(api, alice, bob, carol) -> None:
    follow_create(follower=bob, followee=carol)
    follow_create(follower=alice, followee=carol)
    follow_create(follower=alice, followee=bob)
    page = api(alice).get("/api/v1/profiles/carol/followers").json()
    assert [(p["handle"], p["relationship"]["following"]) for p in page["items"]] == [
        ("alice", False),
        ("bob", True),
    ]
    assert page["items"][0]["relationship"]["is_self"] is True
    anonymous = api(None).get("/api/v1/profiles/carol/followers").json()
    assert [p["relationship"] for p in anonymous["items"]] == [None, None]
    following = api(None).get("/api/v1/profiles/alice/following").json()
    assert [p["handle"] for p in following["items"]] == ["bob", "carol"]


def test_followers_list_leaves_out_people_i_block(api, alice, bob, carol) -> None:
    follow_create(follower=bob, followee=carol)
    block_create(blocker=alice, blocked=bob)
    assert api(alice).get("/api/v1/profiles/carol/followers").json()["items"] == []


def test_profile_posts_tab_and_replies(api, alice, bob) -> None:
    top = post_create(author=alice, body="top")
    reply = post_create(
        author=alice, body="reply", reply_to_id=post_create(author=bob, body="b").pk
    )
    posts = api(None).get("/api/v1/profiles/alice/posts").json()["items"]
    assert [p["id"] for p in posts] == [str(top.pk)]
    with_replies = api(None).get("/api/v1/profiles/alice/posts", replies="true").json()["items"]
    assert [p["id"] for p in with_replies] == [str(reply.pk), str(top.pk)]


def test_profile_posts_shows_followers_only_posts_to_followers(api, alice, bob, carol) -> None:
    follow_create(follower=bob, followee=alice)
    private = post_create(author=alice, body="friends", visibility="followers")
    assert [p["id"] for p in api(bob).get("/api/v1/profiles/alice/posts").json()["items"]] == [
        str(private.pk)
    ]
    assert api(carol).get("/api/v1/profiles/alice/posts").json()["items"] == []


def test_profile_likes_tab_shows_what_i_may_see(api, alice, bob, carol) -> None:
    public = post_create(author=bob, body="public")
    private = post_create(author=bob, body="followers", visibility="followers")
    follow_create(follower=alice, followee=bob)
    post_like(user=alice, post_id=private.pk)
    post_like(user=alice, post_id=public.pk)
    mine = api(alice).get("/api/v1/profiles/alice/likes").json()["items"]
    assert [p["id"] for p in mine] == [str(public.pk), str(private.pk)]
    assert [p["viewer"]["liked"] for p in mine] == [True, True]
    theirs = api(carol).get("/api/v1/profiles/alice/likes").json()["items"]
    assert [p["id"] for p in theirs] == [str(public.pk)]
