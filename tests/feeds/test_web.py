"""The feed pages: Following, Latest, the Older link, the indicator, inline filters, settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from impasto.accounts.models import User
from impasto.feeds.models import FeedPreferences
from impasto.feeds.services import feed_preferences_update
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, repost_create

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def member(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_following_page_asks_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("feeds:following"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_following_page_shows_the_feed_with_a_real_older_link(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    posts = [post_create(author=bob, body=f"number {n}") for n in range(25)]
    client = member(alice)
    page = client.get(reverse("feeds:following")).content.decode()
    assert "number 24" in page
    assert "number 5" in page
    assert "number 4" not in page
    older = f"{reverse('feeds:following')}?before={posts[5].pk}"
    assert f'href="{older}"' in page
    assert 'hx-trigger="revealed, click"' in page
    # without JavaScript, the link is a whole page
    second = client.get(older).content.decode()
    assert "<html" in second
    assert "number 4" in second
    assert "number 5" not in second
    # with htmx, only the next items (and no further link: the last page)
    partial = client.get(older, headers=HTMX).content.decode()
    assert "<html" not in partial
    assert "number 0" in partial
    assert "feed-more" not in partial


def test_latest_page_is_public(client: Client, bob: User) -> None:
    post_create(author=bob, body="hello world")
    post_create(author=bob, body="for my followers", visibility="followers")
    page = client.get(reverse("feeds:latest")).content.decode()
    assert "hello world" in page
    assert "for my followers" not in page
    assert 'id="feed-new"' in page


def test_broken_cursor_is_a_400(alice: User) -> None:
    response = member(alice).get(reverse("feeds:following") + "?before=abc")
    assert response.status_code == 400


def test_new_posts_indicator_counts_arrivals(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    seen = post_create(author=bob, body="seen")
    client = member(alice)
    url = reverse("feeds:new-count", args=["following"]) + f"?after={seen.pk}"
    assert "new post" not in client.get(url, headers=HTMX).content.decode()
    post_create(author=bob, body="fresh")
    post_create(author=bob, body="fresher")
    answer = client.get(url, headers=HTMX).content.decode()
    assert "2 new posts" in answer
    assert f"after={seen.pk}" in answer  # it keeps polling from the same place
    assert client.get(reverse("feeds:new-count", args=["nope"]) + "?after=1").status_code == 404
    assert Client().get(url).status_code == 302


def test_inline_filters_save_and_answer_the_filtered_feed(
    alice: User, bob: User, carol: User
) -> None:
    follow_create(follower=alice, followee=bob)
    for n in range(21):  # more than a page: the answer carries an Older link
        post_create(author=bob, body=f"filler {n}")
    post_create(author=bob, body="bob's own words")
    repost_create(user=bob, post_id=post_create(author=carol, body="carol via bob").pk)
    client = member(alice)
    response = client.post(
        reverse("feeds:filters"),
        {"feed": "following", "kind": "all", "mature": "hide", "hide_reposts": "on"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "bob&#x27;s own words" in body or "bob's own words" in body
    assert "carol via bob" not in body
    prefs = FeedPreferences.objects.get(user=alice)
    assert prefs.hide_reposts
    assert prefs.mature == "hide"
    assert 'href="/feed?before=' in body  # the Older link leads on from the feed, not the form
    assert "/feed/filters?" not in body
    # and the next visit remembers
    assert "carol via bob" not in client.get(reverse("feeds:following")).content.decode()


def test_inline_filters_without_javascript_redirect_back(alice: User) -> None:
    client = member(alice)
    response = client.post(
        reverse("feeds:filters"),
        {"feed": "latest", "kind": "works", "mature": "blur", "next": "https://evil.test/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("feeds:latest")
    assert FeedPreferences.objects.get(user=alice).kind == "works"
    bad = client.post(reverse("feeds:filters"), {"kind": "everything", "mature": "blur"})
    assert bad.status_code == 302
    assert FeedPreferences.objects.get(user=alice).kind == "works"


def test_mature_show_opens_content_warnings(alice: User, bob: User) -> None:
    follow_create(follower=alice, followee=bob)
    post_create(author=bob, body="figure study", content_warning="nudity")
    client = member(alice)
    assert '<details class="post__cw">' in client.get(reverse("feeds:following")).content.decode()
    client.post(reverse("feeds:filters"), {"kind": "all", "mature": "show"})
    page = client.get(reverse("feeds:following")).content.decode()
    assert '<details class="post__cw" open>' in page


def test_settings_page_saves_every_preference(alice: User, bob: User) -> None:
    client = member(alice)
    assert client.get(reverse("feeds:settings")).status_code == 200
    response = client.post(
        reverse("feeds:settings"),
        {
            "kind": "posts",
            "mature": "hide",
            "hide_reposts": "on",
            "muted_words": "Spoilers, crypto\nBig News",
            "muted_tags": "#Café nft",
            "included_fields": ["illustration", "photography"],
            "network_mix": "70",
        },
    )
    assert response.status_code == 302
    prefs = FeedPreferences.objects.get(user=alice)
    assert prefs.kind == "posts"
    assert prefs.mature == "hide"
    assert prefs.hide_reposts
    assert prefs.muted_words == ["spoilers", "crypto", "big news"]
    assert prefs.muted_tags == ["cafe", "nft"]
    assert prefs.fields == ["illustration", "photography"]
    assert prefs.network_mix == 70
    page = client.get(reverse("feeds:settings")).content.decode()
    assert "#cafe #nft" in page


def test_settings_page_refuses_bad_input_and_stores_nothing(alice: User) -> None:
    client = member(alice)
    response = client.post(
        reverse("feeds:settings"),
        {"kind": "posts", "mature": "hide", "muted_tags": "not-a-tag!", "network_mix": "50"},
    )
    assert response.status_code == 400
    assert not FeedPreferences.objects.filter(user=alice).exists()
    response = client.post(
        reverse("feeds:settings"), {"kind": "posts", "mature": "hide", "network_mix": "101"}
    )
    assert response.status_code == 400
    assert not FeedPreferences.objects.filter(user=alice).exists()


def test_filter_endpoints_need_an_account(client: Client) -> None:
    assert client.post(reverse("feeds:filters"), {"kind": "all"}).status_code == 302
    assert client.get(reverse("feeds:settings")).status_code == 302
    assert not FeedPreferences.objects.exists()


def test_export_and_erase_cover_preferences_and_tags(alice: User) -> None:
    from impasto.feeds.account_data import user_data_erase, user_data_export
    from impasto.feeds.models import FollowedTag
    from impasto.feeds.services import tag_follow

    feed_preferences_update(user=alice, muted_words=["spoilers"])
    tag_follow(user=alice, name="#Ink")
    written: dict[str, object] = {}

    class Writer:
        def add_json(self, name: str, data: object) -> None:
            written[name] = data

    user_data_export(user=alice, writer=Writer())  # type: ignore[arg-type]
    data = written["feeds.json"]
    assert data["preferences"]["muted_words"] == ["spoilers"]  # type: ignore[index]
    assert data["followed_tags"] == ["ink"]  # type: ignore[index]
    user_data_erase(user=alice)
    user_data_erase(user=alice)
    assert not FeedPreferences.objects.filter(user=alice).exists()
    assert not FollowedTag.objects.filter(user=alice).exists()
