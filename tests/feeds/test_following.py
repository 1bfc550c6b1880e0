"""The Following and Latest feeds: membership, ordering, visibility, each filter, paging."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from impasto.accounts.models import User
from impasto.feeds.filters import FeedFilters
from impasto.feeds.selectors import (
    NEW_COUNT_CAP,
    feed_following,
    feed_latest,
    feed_new_count,
)
from impasto.social.models import Post
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create, mute_create
from impasto.social.services.posts import post_create, post_delete, repost_create
from tests.feeds.conftest import add_field, attach

pytestmark = pytest.mark.django_db


def ids(user: User, **kwargs: object) -> list[int]:
    page = feed_following(viewer_for(user), **kwargs)  # type: ignore[arg-type]
    return [item.view.post.pk for item in page.items]


def latest_ids(user: User | None, **kwargs: object) -> list[int]:
    page = feed_latest(viewer_for(user), **kwargs)  # type: ignore[arg-type]
    return [item.view.post.pk for item in page.items]


def test_following_feed_holds_followed_people_and_own_posts_newest_first(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    first = post_create(author=bob, body="first")
    stranger = post_create(author=carol, body="not followed")
    mine = post_create(author=alice, body="mine")
    repost = repost_create(user=bob, post_id=stranger.pk)
    last = post_create(author=bob, body="last")
    assert ids(alice) == [last.pk, repost.pk, mine.pk, first.pk]


def test_following_feed_keeps_replies_within_the_network(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=carol)
    root = post_create(author=carol, body="root")
    among_friends = post_create(author=bob, body="to carol", reply_to_id=root.pk)
    stranger = post_create(author=User.objects.create(handle="dan", email="d@e.test"), body="x")
    to_stranger = post_create(author=bob, body="to dan", reply_to_id=stranger.pk)
    got = ids(alice)
    assert among_friends.pk in got
    assert to_stranger.pk not in got


def test_following_feed_is_empty_for_visitors(bob: User) -> None:
    post_create(author=bob, body="hello")
    assert ids(None) == []  # type: ignore[arg-type]


def test_following_feed_obeys_visibility_blocks_and_mutes(
    alice: User, bob: User, carol: User, make_user: Callable[..., User]
) -> None:
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=carol)
    followers_only = post_create(author=bob, body="for followers", visibility="followers")
    deleted = post_create(author=bob, body="gone")
    post_delete(user=bob, post_id=deleted.pk)
    by_carol = post_create(author=carol, body="carol")
    dan = make_user(handle="dan")
    follow_create(follower=alice, followee=dan)
    by_dan = post_create(author=dan, body="dan")
    eve = make_user(handle="eve")
    eves = post_create(author=eve, body="eve's")
    repost_of_eve = repost_create(user=bob, post_id=eves.pk)
    assert {followers_only.pk, by_carol.pk, by_dan.pk, repost_of_eve.pk} <= set(ids(alice))
    assert deleted.pk not in ids(alice)

    mute_create(muter=alice, muted=carol)
    block_create(blocker=dan, blocked=alice)  # dan blocks alice: his posts vanish for her
    block_create(blocker=alice, blocked=eve)  # a repost of someone she blocks vanishes
    got = ids(alice)
    assert by_carol.pk not in got
    assert by_dan.pk not in got
    assert repost_of_eve.pk not in got
    assert followers_only.pk in got


def test_pending_follow_does_not_show_followers_only_posts(alice: User, bob: User) -> None:
    from impasto.social.services.graph import social_settings_update

    social_settings_update(user=bob, locked=True)
    follow_create(follower=alice, followee=bob)  # a request: bob is locked
    post_create(author=bob, body="secret", visibility="followers")
    assert ids(alice) == []


def test_hide_reposts_filter(alice: User, bob: User, carol: User) -> None:
    follow_create(follower=alice, followee=bob)
    own = post_create(author=bob, body="own")
    repost = repost_create(user=bob, post_id=post_create(author=carol, body="c").pk)
    assert ids(alice, filters=FeedFilters(hide_reposts=True)) == [own.pk]
    assert ids(alice) == [repost.pk, own.pk]


def test_works_only_and_posts_only_apply_to_what_a_repost_shows(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    text = post_create(author=bob, body="just words")
    work = post_create(author=bob, body="a painting")
    attach(work, alt_text="oil on canvas")
    carols_work = post_create(author=carol, body="carol's painting")
    attach(carols_work)
    repost_of_work = repost_create(user=bob, post_id=carols_work.pk)
    assert ids(alice, filters=FeedFilters(kind="works")) == [repost_of_work.pk, work.pk]
    assert ids(alice, filters=FeedFilters(kind="posts")) == [text.pk]


def test_mature_hide_removes_posts_with_a_content_warning(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    calm = post_create(author=bob, body="calm")
    mature = post_create(author=bob, body="figure study", content_warning="nudity")
    assert ids(alice, filters=FeedFilters(mature="hide")) == [calm.pk]
    assert ids(alice, filters=FeedFilters(mature="blur")) == [mature.pk, calm.pk]
    assert ids(alice, filters=FeedFilters(mature="show")) == [mature.pk, calm.pk]


def test_muted_words_match_text_warning_alt_text_and_tags(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    kept = post_create(author=bob, body="a quiet landscape")
    in_text = post_create(author=bob, body="Spoilers for the finale")
    in_warning = post_create(author=bob, body="see", content_warning="spoilers")
    in_alt = post_create(author=bob, body="new piece")
    attach(in_alt, alt_text="A SPOILERS board")
    in_tag = post_create(author=bob, body="#Spoilers tonight")
    reposted = repost_create(user=bob, post_id=post_create(author=carol, body="spoilers!").pk)
    got = ids(alice, filters=FeedFilters(muted_words=("spoilers",)))
    assert got == [kept.pk]
    assert {in_text.pk, in_warning.pk, in_alt.pk, in_tag.pk, reposted.pk} <= set(ids(alice))


def test_muted_tags_hide_posts_carrying_them(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    kept = post_create(author=bob, body="#ink drawing")
    tagged = post_create(author=bob, body="#Café sketch")
    assert ids(alice, filters=FeedFilters(muted_tags=("cafe",))) == [kept.pk]
    assert tagged.pk in ids(alice)


def test_fields_filter_keeps_authors_of_those_fields(alice: User, bob: User, carol: User) -> None:
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=carol)
    add_field(bob, "photography")
    add_field(carol, "illustration")
    by_bob = post_create(author=bob, body="a photo")
    post_create(author=carol, body="a drawing")
    assert ids(alice, filters=FeedFilters(fields=("photography", "3d"))) == [by_bob.pk]


def test_following_pages_have_no_gap_or_duplicate_while_posts_arrive(
    alice: User, bob: User
) -> None:
    follow_create(follower=alice, followee=bob)
    old = [post_create(author=bob, body=f"old {n}").pk for n in range(23)]
    seen: list[int] = []
    before = None
    while True:
        page = feed_following(viewer_for(alice), before=before, limit=5)
        seen += [item.view.post.pk for item in page.items]
        post_create(author=bob, body="arrives meanwhile")  # newer than every cursor
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert seen == sorted(old, reverse=True)


def test_latest_stream_lists_public_top_level_posts_once(
    alice: User, bob: User, carol: User
) -> None:
    public = post_create(author=bob, body="public")
    post_create(author=bob, body="unlisted", visibility="unlisted")
    post_create(author=bob, body="followers", visibility="followers")
    post_create(author=carol, body="reply", reply_to_id=public.pk)
    repost_create(user=carol, post_id=public.pk)
    also = post_create(author=carol, body="carol's")
    assert latest_ids(None) == [also.pk, public.pk]
    block_create(blocker=alice, blocked=carol)
    assert latest_ids(alice) == [public.pk]
    assert latest_ids(alice, filters=FeedFilters(muted_words=("public",))) == []


def test_new_count_counts_what_the_feed_would_show(alice: User, bob: User, carol: User) -> None:
    follow_create(follower=alice, followee=bob)
    top = post_create(author=bob, body="seen")
    viewer = viewer_for(alice)
    assert feed_new_count(viewer, feed="following", after=top.pk) == 0
    post_create(author=bob, body="new one")
    post_create(author=bob, body="new, with spoilers")
    post_create(author=carol, body="not followed")
    assert feed_new_count(viewer, feed="following", after=top.pk) == 2
    muted = FeedFilters(muted_words=("spoilers",))
    assert feed_new_count(viewer, feed="following", after=top.pk, filters=muted) == 1
    assert feed_new_count(viewer, feed="latest", after=top.pk) == 3
    for n in range(NEW_COUNT_CAP + 3):
        post_create(author=bob, body=f"flood {n}")
    assert feed_new_count(viewer, feed="following", after=top.pk) == NEW_COUNT_CAP + 1


def test_feed_items_are_post_rows_not_duplicated_by_filters(alice: User, bob: User) -> None:
    """Exists-based filters never multiply rows (a post with two images and two fields)."""
    follow_create(follower=alice, followee=bob)
    add_field(bob, "photography")
    add_field(bob, "illustration")
    work = post_create(author=bob, body="diptych")
    attach(work, asset_id=1)
    attach(work, asset_id=2)
    got = ids(alice, filters=FeedFilters(kind="works", fields=("photography", "illustration")))
    assert got == [work.pk]
    assert Post.objects.count() == 1
