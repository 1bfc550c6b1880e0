"""What the JSON API needed from the domain: who reposted a post, notification targets with
their author's avatar, and an id of 0 that is not mistaken for "no post"."""

from __future__ import annotations

import pytest
from django.http import Http404

from impasto.accounts.models import User
from impasto.social import targets
from impasto.social.models import Post
from impasto.social.selectors.posts import post_reposters
from impasto.social.services.graph import block_create, mute_create
from impasto.social.services.posts import post_create, repost_create
from tests.social.conftest import v

pytestmark = pytest.mark.django_db


def test_reposters_newest_first_paged_without_blocked_muted_or_closed_accounts(
    make_user, alice, bob
) -> None:
    post = post_create(author=bob, body="share me")
    fans = [make_user(handle=f"fan{n}") for n in range(5)]
    for fan in fans:
        repost_create(user=fan, post_id=post.pk)
    first = post_reposters(v(alice), post.pk, limit=3)
    assert [u.handle for u in first.items] == ["fan4", "fan3", "fan2"]
    rest = post_reposters(v(alice), post.pk, before=first.next_cursor, limit=3)
    assert [u.handle for u in rest.items] == ["fan1", "fan0"]
    assert rest.next_cursor is None

    block_create(blocker=fans[4], blocked=alice)
    mute_create(muter=alice, muted=fans[3])
    User.objects.filter(pk=fans[2].pk).update(is_active=False)
    assert [u.handle for u in post_reposters(v(alice), post.pk).items] == ["fan1", "fan0"]
    # Asked about a repost, it answers for the original.
    repost = repost_create(user=alice, post_id=post.pk)
    assert [u.handle for u in post_reposters(v(bob), repost.pk, limit=2).items] == [
        "alice",
        "fan4",
    ]


def test_reposters_of_a_post_the_reader_cannot_see_is_404(alice, bob) -> None:
    post = post_create(author=bob, body="mine", visibility="followers")
    with pytest.raises(Http404):
        post_reposters(v(alice), post.pk)


def test_reposters_cost_two_queries_whatever_the_page(
    make_user, alice, bob, django_assert_num_queries
) -> None:
    post = post_create(author=bob, body="x")
    for n in range(6):
        repost_create(user=make_user(handle=f"r{n}"), post_id=post.pk)
    viewer = v(alice)
    with django_assert_num_queries(2):  # the post, the reposts with their authors' profiles
        people = post_reposters(viewer, post.pk, limit=5).items
        _ = [person.profile.avatar for person in people]


def test_notification_target_posts_come_with_their_authors_profile(
    alice, bob, django_assert_num_queries
) -> None:
    post = post_create(author=bob, body="x")
    viewer = v(alice)
    with django_assert_num_queries(1):
        loaded = targets.get("post").load(viewer, [post.pk])
        assert loaded[post.pk].author.profile.user_id == bob.pk


def test_post_create_with_an_id_of_zero_is_404_not_a_plain_post(alice) -> None:
    with pytest.raises(Http404):
        post_create(author=alice, body="meant as a reply", reply_to_id=0)
    with pytest.raises(Http404):
        post_create(author=alice, body="meant as a quote", quote_of_id=0)
    assert Post.objects.count() == 0
