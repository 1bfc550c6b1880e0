"""/api/v1/feeds/...: the same feeds as the web pages, as JSON."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from impasto.accounts.models import User
from impasto.api.models import AccessToken
from impasto.api.services import token_create
from impasto.feeds.models import FeedPreferences
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, repost_create

pytestmark = pytest.mark.django_db


def token(user: User, scope: str = AccessToken.Scope.WRITE) -> dict[str, str]:
    _, raw = token_create(user=user, name="feeds test", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def test_following_feed_needs_an_account(client: Client) -> None:
    assert client.get("/api/v1/feeds/following").status_code == 401
    assert client.get("/api/v1/feeds/following/new-count?after=1").status_code == 401


def test_following_feed_as_json_with_string_cursors(
    client: Client, alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    posts = [post_create(author=bob, body=f"n{n}") for n in range(3)]
    repost = repost_create(user=bob, post_id=post_create(author=carol, body="c").pk)
    headers = token(alice, AccessToken.Scope.READ)
    answer = client.get("/api/v1/feeds/following?limit=2", headers=headers).json()
    assert [item["id"] for item in answer["items"]] == [str(repost.pk), str(posts[2].pk)]
    assert answer["items"][0]["repost_of"]["body_html"]
    assert answer["items"][0]["reason"] is None
    assert answer["before"] == str(posts[2].pk)
    rest = client.get(
        f"/api/v1/feeds/following?limit=2&before={answer['before']}", headers=headers
    ).json()
    assert [item["id"] for item in rest["items"]] == [str(posts[1].pk), str(posts[0].pk)]
    assert rest["before"] is None


def test_feeds_apply_the_callers_preferences(client: Client, alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    kept = post_create(author=bob, body="calm")
    post_create(author=bob, body="loud", content_warning="flashing")
    headers = token(alice)
    patched = client.patch(
        "/api/v1/feeds/preferences",
        data={"mature": "hide", "muted_tags": ["#Café"]},
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["mature"] == "hide"
    assert patched.json()["muted_tags"] == ["cafe"]
    items = client.get("/api/v1/feeds/following", headers=headers).json()["items"]
    assert [item["id"] for item in items] == [str(kept.pk)]
    latest = client.get("/api/v1/feeds/latest", headers=headers).json()["items"]
    assert [item["id"] for item in latest] == [str(kept.pk)]


def test_latest_feed_is_public_and_counts_new_posts(client: Client, bob: User) -> None:
    first = post_create(author=bob, body="first")
    post_create(author=bob, body="hidden", visibility="unlisted")
    items = client.get("/api/v1/feeds/latest").json()["items"]
    assert [item["id"] for item in items] == [str(first.pk)]
    post_create(author=bob, body="second")
    count = client.get(f"/api/v1/feeds/latest/new-count?after={first.pk}").json()
    assert count == {"count": 1, "more": False}


def test_preferences_read_write_and_refusals(
    client: Client, alice: User, make_user: Callable[..., User]
) -> None:
    assert client.get("/api/v1/feeds/preferences").status_code == 401
    got = client.get("/api/v1/feeds/preferences", headers=token(alice)).json()
    assert got["kind"] == "all"
    assert got["mature"] == "blur"
    assert got["muted_words"] == []
    read_only = token(alice, AccessToken.Scope.READ)
    refused = client.patch(
        "/api/v1/feeds/preferences",
        data={"kind": "works"},
        content_type="application/json",
        headers=read_only,
    )
    assert refused.status_code == 403
    for bad in ({"kind": "pictures"}, {"network_mix": 101}, {"muted_tags": ["a b"]}, {"x": 1}):
        answer = client.patch(
            "/api/v1/feeds/preferences",
            data=bad,
            content_type="application/json",
            headers=token(alice),
        )
        assert answer.status_code == 422, bad
    assert not FeedPreferences.objects.filter(user=alice).exists()
