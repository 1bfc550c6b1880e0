"""For You (candidates, reasons, the mix slider, decay, paging), Discover and tag pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from impasto.accounts.models import User
from impasto.core.ids import snowflake
from impasto.feeds.filters import FeedFilters
from impasto.feeds.foryou import feed_for_you
from impasto.feeds.models import FeedPreferences, FollowedTag
from impasto.feeds.selectors import feed_discover
from impasto.feeds.services import feed_preferences_update, tag_follow, tag_unfollow
from impasto.social.models import Post
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_like
from tests.feeds.conftest import add_field

pytestmark = pytest.mark.django_db


def reasons(user: User, **kwargs: object) -> dict[int, str]:
    page = feed_for_you(viewer_for(user), **kwargs)  # type: ignore[arg-type]
    return {item.view.post.pk: item.reason for item in page.items}


def age(post: Post, hours: float) -> Post:
    """Move a post back in time: its snowflake id is its clock (ids sort by time)."""
    at = timezone.now() - timedelta(hours=hours)
    new_id = snowflake(int(at.timestamp() * 1000))
    Post.objects.filter(pk=post.pk).update(id=new_id, thread_root_id=new_id, created_at=at)
    return Post.objects.get(pk=new_id)


def test_for_you_explains_each_post(
    alice: User, bob: User, carol: User, make_user: Callable[..., User]
) -> None:
    follow_create(follower=alice, followee=bob)
    tag_follow(user=alice, name="#Watercolor")
    dan = make_user(handle="dan")
    eve = make_user(handle="eve")
    add_field(eve, "photography")
    feed_preferences_update(user=alice, fields=["photography"], network_mix=50)
    by_bob = post_create(author=bob, body="from bob")
    tagged = post_create(author=carol, body="a #watercolor study")
    liked = post_create(author=dan, body="bob likes this")
    post_like(user=bob, post_id=liked.pk)
    reposted = post_create(author=dan, body="bob reposts this")
    repost_create(user=bob, post_id=reposted.pk)
    in_field = post_create(author=eve, body="a photo")
    popular = post_create(author=make_user(handle="fay"), body="everyone likes this")
    for fan in [make_user() for _ in range(3)]:
        post_like(user=fan, post_id=popular.pk)
    got = reasons(alice, filters=FeedFilters(network_mix=50))
    assert got[by_bob.pk] == "From @bob, whom you follow"
    assert got[tagged.pk] == "Because you follow #Watercolor"
    assert got[liked.pk] == "Liked by @bob, whom you follow"
    assert got[reposted.pk] == "Reposted by @bob, whom you follow"
    assert got[popular.pk] == "Appreciated across Impasto this week"
    # "fields to include" is a filter too: then only those fields' posts remain
    in_fields = reasons(alice, filters=FeedFilters(fields=("photography",), network_mix=50))
    assert in_fields == {in_field.pk: "In Photography, one of your fields"}


def test_for_you_slider_moves_between_network_and_site(
    alice: User, bob: User, make_user: Callable[..., User]
) -> None:
    follow_create(follower=alice, followee=bob)
    mine = post_create(author=bob, body="network")
    popular = post_create(author=make_user(), body="site-wide")
    post_like(user=make_user(), post_id=popular.pk)
    only_network = reasons(alice, filters=FeedFilters(network_mix=0))
    only_site = reasons(alice, filters=FeedFilters(network_mix=100))
    assert set(only_network) == {mine.pk}
    assert set(only_site) == {popular.pk}


def test_for_you_prefers_recent_posts(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    old = age(post_create(author=bob, body="old"), hours=72)
    new = age(post_create(author=bob, body="new"), hours=1)
    assert list(reasons(alice)) == [new.pk, old.pk]
    ancient = age(post_create(author=bob, body="ancient"), hours=24 * 30)
    assert ancient.pk not in reasons(alice)


def test_for_you_never_shows_what_the_reader_may_not_see(
    alice: User, bob: User, carol: User, make_user: Callable[..., User]
) -> None:
    follow_create(follower=bob, followee=carol)
    follow_create(follower=alice, followee=bob)
    secret = post_create(author=carol, body="for my followers", visibility="followers")
    post_like(user=bob, post_id=secret.pk)
    unlisted = post_create(author=carol, body="unlisted", visibility="unlisted")
    post_like(user=bob, post_id=unlisted.pk)
    blocker = make_user(handle="blocker")
    theirs = post_create(author=blocker, body="popular but blocking")
    post_like(user=bob, post_id=theirs.pk)
    block_create(blocker=blocker, blocked=alice)
    own = post_create(author=alice, body="my own")
    post_like(user=bob, post_id=own.pk)
    got = reasons(alice, filters=FeedFilters(network_mix=50))
    assert not {secret.pk, unlisted.pk, theirs.pk, own.pk} & set(got)


def test_for_you_applies_the_filters(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    kept = post_create(author=bob, body="landscape")
    post_create(author=bob, body="spoilers inside")
    assert set(reasons(alice, filters=FeedFilters(muted_words=("spoilers",)))) == {kept.pk}


def test_for_you_pages_by_cursor_without_duplicates(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    posts = {post_create(author=bob, body=f"p{n}").pk for n in range(7)}
    seen: list[int] = []
    cursor = None
    while True:
        page = feed_for_you(viewer_for(alice), cursor=cursor, limit=3)
        seen += [item.view.post.pk for item in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(posts)
    assert len(seen) == len(set(seen))


def test_tag_follow_is_folded_and_idempotent(alice: User) -> None:
    first = tag_follow(user=alice, name="#Café")
    again = tag_follow(user=alice, name="CAFE")
    assert first.pk == again.pk
    assert first.tag.name == "cafe"
    tag_unfollow(user=alice, name="café")
    assert not FollowedTag.objects.exists()


def test_discover_by_field(alice: User, bob: User, carol: User) -> None:
    add_field(bob, "3d")
    by_bob = post_create(author=bob, body="a render")
    by_carol = post_create(author=carol, body="no field")
    post_create(author=bob, body="hidden", visibility="unlisted")
    page = feed_discover(viewer_for(alice), field="3d")
    assert [item.view.post.pk for item in page.items] == [by_bob.pk]
    everything = feed_discover(viewer_for(None))
    assert [item.view.post.pk for item in everything.items] == [by_carol.pk, by_bob.pk]
    # the field in the address wins over the reader's own "fields to include"
    page = feed_discover(viewer_for(alice), field="3d", filters=FeedFilters(fields=("fashion",)))
    assert [item.view.post.pk for item in page.items] == [by_bob.pk]


def test_tag_pages_use_the_readers_filters(alice: User, bob: User) -> None:
    post_create(author=bob, body="#ink calm lines")
    post_create(author=bob, body="#ink spoilers", content_warning="gore")
    feed_preferences_update(user=alice, muted_words=["spoilers"])
    client = Client()
    client.force_login(alice)
    page = client.get("/tags/ink").content.decode()
    assert "calm lines" in page
    assert "spoilers" not in page
    visitor = Client().get("/tags/ink").content.decode()
    assert "gore" in visitor
    api = client.get("/api/v1/tags/ink/posts").json()["items"]
    assert len(api) == 1


def test_for_you_and_discover_pages(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    add_field(bob, "illustration")
    post_create(author=bob, body="drawn today")
    client = Client()
    client.force_login(alice)
    page = client.get("/feed/for-you").content.decode()
    assert "From @bob, whom you follow" in page
    assert "Tags you follow" in page
    assert client.get("/feed/for-you?cursor=nope").status_code == 400
    assert Client().get("/feed/for-you").status_code == 302
    assert "drawn today" in Client().get("/discover/illustration").content.decode()
    assert "drawn today" not in Client().get("/discover/photography").content.decode()
    assert Client().get("/discover/not-a-field").status_code == 404
    follow = client.post("/feed/tags/follow", {"name": "#Ink"})
    assert follow.status_code == 302
    assert "#Ink" in client.get("/feed/for-you").content.decode()
    client.post("/feed/tags/ink/unfollow")
    assert not FollowedTag.objects.exists()
    client.post(
        "/feed/filters", {"feed": "for-you", "kind": "all", "mature": "blur", "network_mix": "80"}
    )
    assert FeedPreferences.objects.get(user=alice).network_mix == 80


def test_for_you_and_discover_api(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    for n in range(3):
        post_create(author=bob, body=f"n{n}")
    client = Client()
    client.force_login(alice)
    first = client.get("/api/v1/feeds/for-you?limit=2").json()
    assert [item["reason"] for item in first["items"]] == ["From @bob, whom you follow"] * 2
    rest = client.get(f"/api/v1/feeds/for-you?limit=2&cursor={first['cursor']}").json()
    assert len(rest["items"]) == 1
    assert rest["cursor"] is None
    assert client.get("/api/v1/feeds/for-you?cursor=x").status_code == 422
    assert Client().get("/api/v1/feeds/for-you").status_code == 401
    assert len(Client().get("/api/v1/feeds/discover").json()["items"]) == 3
    assert Client().get("/api/v1/feeds/discover?field=3d").json()["items"] == []
    assert Client().get("/api/v1/feeds/discover?field=nope").status_code == 422
    followed = client.post("/api/v1/feeds/tags/Café", headers={"X-CSRFToken": "x"})
    assert followed.status_code in (200, 403)  # a session needs the CSRF token
