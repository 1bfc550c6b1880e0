"""Posts through the API: shapes, writes, refusals, threads, reactions, who liked."""

from __future__ import annotations

import io
import typing
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import TestCase

from impasto.accounts.services import profile_set_avatar
from impasto.api.schemas.posts import PostOut, PostVisibility
from impasto.social.models import Post, PostBookmark, PostLike, PostRevision
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.posts import post_create, post_delete, repost_create
from impasto.social.services.reactions import post_like
from impasto.social.visibility import POST_VISIBILITIES
from tests.accounts.conftest import picture
from tests.api.social.conftest import assert_error, fields

pytestmark = pytest.mark.django_db

POST_KEYS = set(PostOut.model_fields)


def test_visibility_choices_are_the_models() -> None:
    assert set(typing.get_args(PostVisibility)) == {v.value for v in POST_VISIBILITIES}


# --- create ---------------------------------------------------------------------------------


def test_post_create_answers_the_whole_post_with_its_source_for_the_author(api, alice, bob) -> None:
    response = api(alice).post(
        "/api/v1/posts",
        {
            "body": "Ink **study** for @bob #Sketch <script>alert(1)</script>",
            "content_warning": "eye strain",
            "visibility": "unlisted",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == POST_KEYS
    post = Post.objects.get()
    assert body["id"] == str(post.pk)
    assert body["author"] == {"handle": "alice", "display_name": "Alice", "avatar_url": None}
    assert body["body"] == "Ink **study** for @bob #Sketch <script>alert(1)</script>"
    html = body["body_html"]
    assert "<strong>study</strong>" in html
    assert 'href="/@bob"' in html
    assert "/tags/sketch" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert body["content_warning"] == "eye strain"
    assert body["visibility"] == "unlisted"
    assert body["counts"] == {"likes": 0, "reposts": 0, "quotes": 0, "replies": 0}
    assert body["viewer"] == {"liked": False, "reposted": False, "bookmarked": False}
    assert (body["reply_to_id"], body["quote_of_id"], body["repost_of"]) == (None, None, None)
    assert body["thread_root_id"] == body["id"]
    assert body["deleted"] is False
    assert body["edited_at"] is None


def test_post_create_reply_and_quote(api, alice, bob) -> None:
    parent = post_create(author=bob, body="parent")
    reply = api(alice).post("/api/v1/posts", {"body": "reply", "reply_to": str(parent.pk)})
    assert reply.status_code == 201
    assert reply.json()["reply_to_id"] == str(parent.pk)
    assert reply.json()["thread_root_id"] == str(parent.pk)
    quote = api(alice).post("/api/v1/posts", {"body": "look", "quote_of": str(parent.pk)})
    assert quote.status_code == 201
    embedded = quote.json()["quote"]
    assert embedded["id"] == str(parent.pk)
    assert embedded["author"]["handle"] == "bob"
    assert embedded["body_html"].strip() == "<p>parent</p>"
    parent.refresh_from_db()
    assert (parent.replies_count, parent.quotes_count) == (1, 1)


def test_post_create_quote_refused_when_the_author_does_not_allow_quotes(api, alice, bob) -> None:
    social_settings_update(user=bob, allow_quotes=False)
    original = post_create(author=bob, body="mine")
    response = api(alice).post("/api/v1/posts", {"body": "x", "quote_of": str(original.pk)})
    assert "does not allow quotes" in assert_error(response, 403)["detail"]
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "nul \x00 here"}, "body"),
        ({"body": " ".join(f"#tag{n}x" for n in range(31))}, "body"),
        ({"body": "ok", "content_warning": "w" * 201}, "content_warning"),
        ({"body": "ok", "visibility": "draft"}, "visibility"),
        ({"body": "ok", "visibility": "everyone"}, "visibility"),
        ({"body": "ok", "reply_to": "abc"}, "reply_to"),
        ({"body": "ok", "quote_of": -4}, "quote_of"),
        ({"body": "ok", "quote_of": 12}, "quote_of"),  # a number: ids are strings
        ({"body": "ok", "author": "bob"}, "author"),
        ({"body": 42}, "body"),
    ],
)
def test_post_create_refuses_a_bad_body_names_the_field_and_stores_nothing(
    api, alice, payload: dict[str, Any], field: str
) -> None:
    response = api(alice).post("/api/v1/posts", payload)
    assert field in fields(response)
    assert Post.objects.count() == 0


def test_post_create_reply_to_id_zero_is_404_and_stores_nothing(api, alice) -> None:
    assert_error(api(alice).post("/api/v1/posts", {"body": "r", "reply_to": "0"}), 404)
    assert Post.objects.count() == 0


def test_post_create_quote_of_a_followers_only_post_is_422_on_quote_of(api, alice) -> None:
    own = post_create(author=alice, body="for my followers", visibility="followers")
    response = api(alice).post("/api/v1/posts", {"body": "q", "quote_of": str(own.pk)})
    assert fields(response) == ["quote_of"]
    assert Post.objects.count() == 1


def test_post_create_with_a_body_that_is_not_json_is_400(api, alice) -> None:
    client = api(alice)
    response = client.client.post(
        "/api/v1/posts", "{nope", "application/json", headers=client.headers
    )
    assert_error(response, 400)
    assert Post.objects.count() == 0


# --- read -----------------------------------------------------------------------------------


def test_post_get_shows_the_source_only_to_the_author_and_state_only_when_signed_in(
    api, alice, bob
) -> None:
    post = post_create(author=alice, body="*hello*")
    mine = api(alice).get(f"/api/v1/posts/{post.pk}").json()
    theirs = api(bob).get(f"/api/v1/posts/{post.pk}").json()
    anonymous = api(None).get(f"/api/v1/posts/{post.pk}").json()
    assert mine["body"] == "*hello*"
    assert theirs["body"] is None
    assert anonymous["body"] is None
    assert theirs["viewer"] == {"liked": False, "reposted": False, "bookmarked": False}
    assert anonymous["viewer"] is None
    assert mine["body_html"] == theirs["body_html"] == anonymous["body_html"]


def test_post_get_gives_the_authors_avatar_as_an_absolute_url_that_serves_it(
    api, alice, client
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the pipeline runs
        profile_set_avatar(user=alice, upload=io.BytesIO(picture("png")))
    post = post_create(author=alice, body="hi")
    url = api(None).get(f"/api/v1/posts/{post.pk}").json()["author"]["avatar_url"]
    assert url.startswith("http")
    assert client.get(urlsplit(url).path).status_code == 200


def test_post_get_of_a_deleted_or_unknown_post_is_404(api, alice) -> None:
    post = post_create(author=alice, body="bye")
    post_delete(user=alice, post_id=post.pk)
    assert_error(api(alice).get(f"/api/v1/posts/{post.pk}"), 404)
    assert_error(api(alice).get("/api/v1/posts/123456789"), 404)
    assert fields(api(alice).get("/api/v1/posts/12x")) == ["post_id"]


def test_post_get_link_preview_of_a_profile(api, alice, bob) -> None:
    post = post_create(author=alice, body="Meet http://127.0.0.1:8000/@bob today")
    body = api(None).get(f"/api/v1/posts/{post.pk}").json()
    assert body["link_preview"] == {
        "kind": "profile",
        "url": "http://127.0.0.1:8000/@bob",
        "title": "Bob",
        "description": "",
    }
    block_create(blocker=bob, blocked=alice)
    assert api(alice).get(f"/api/v1/posts/{post.pk}").json()["link_preview"] is None


def test_quote_of_a_post_that_became_invisible_is_marked_unavailable(api, alice, bob) -> None:
    original = post_create(author=bob, body="original")
    quote = post_create(author=alice, body="quoting", quote_of_id=original.pk)
    post_delete(user=bob, post_id=original.pk)
    body = api(None).get(f"/api/v1/posts/{quote.pk}").json()
    assert body["quote_of_id"] == str(original.pk)
    assert body["quote"] is None
    assert body["quote_unavailable"] is True


# --- edit and history -------------------------------------------------------------------------


def test_post_edit_changes_the_text_and_keeps_the_history_readable(api, alice, bob) -> None:
    post = post_create(author=alice, body="first #draft", content_warning="cw")
    response = api(alice).patch(f"/api/v1/posts/{post.pk}", {"body": "second"})
    assert response.status_code == 200
    body = response.json()
    assert body["body"] == "second"
    assert body["content_warning"] == "cw"  # left out: unchanged
    assert body["edited_at"] is not None
    api(alice).patch(f"/api/v1/posts/{post.pk}", {"body": "third", "content_warning": ""})
    history = api(bob).get(f"/api/v1/posts/{post.pk}/revisions")
    assert history.status_code == 200
    versions = history.json()
    assert [v["body_html"].strip() for v in versions] == [
        '<p>first <a href="/tags/draft" rel="nofollow noopener noreferrer ugc">#draft</a></p>',
        "<p>second</p>",
    ]
    assert [v["content_warning"] for v in versions] == ["cw", "cw"]
    assert versions[0]["replaced_at"] <= versions[1]["written_at"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": "  "}, "body"),
        ({"body": "x", "visibility": "public"}, "visibility"),
        ({"body": "x", "content_warning": 3}, "content_warning"),
    ],
)
def test_post_edit_refuses_a_bad_body_and_changes_nothing(
    api, alice, payload: dict[str, Any], field: str
) -> None:
    post = post_create(author=alice, body="kept")
    assert field in fields(api(alice).patch(f"/api/v1/posts/{post.pk}", payload))
    post.refresh_from_db()
    assert (post.body, post.edited_at) == ("kept", None)
    assert PostRevision.objects.count() == 0


def test_post_edit_of_a_repost_is_422(api, alice, bob) -> None:
    repost = repost_create(user=alice, post_id=post_create(author=bob, body="x").pk)
    assert fields(api(alice).patch(f"/api/v1/posts/{repost.pk}", {"body": "y"})) == [None]


# --- delete ---------------------------------------------------------------------------------


def test_post_delete_leaves_a_placeholder_in_the_thread_without_its_author(
    api, alice, bob, carol
) -> None:
    block_create(blocker=carol, blocked=alice)
    root = post_create(author=bob, body="root")
    middle = post_create(author=alice, body="middle", reply_to_id=root.pk)
    post_create(author=bob, body="below", reply_to_id=middle.pk)
    assert api(alice).delete(f"/api/v1/posts/{middle.pk}").status_code == 204
    assert_error(api(alice).get(f"/api/v1/posts/{middle.pk}"), 404)
    thread = api(carol).get(f"/api/v1/posts/{root.pk}/context").json()
    placeholder, below = thread["replies"]
    assert placeholder["deleted"] is True
    assert placeholder["author"] is None
    assert placeholder["body_html"] == ""
    assert below["reply_to_id"] == str(middle.pk)
    assert below["parent_deleted"] is True


def test_post_delete_of_someone_elses_post_is_403_and_keeps_it(api, alice, bob) -> None:
    post = post_create(author=bob, body="bob's")
    assert "your own" in assert_error(api(alice).delete(f"/api/v1/posts/{post.pk}"), 403)["detail"]
    assert Post.objects.get(pk=post.pk).deleted_at is None


# --- threads ----------------------------------------------------------------------------------


def test_post_context_pages_through_replies_oldest_first_with_depth(api, alice, bob) -> None:
    root = post_create(author=alice, body="root")
    focus = post_create(author=bob, body="focus", reply_to_id=root.pk)
    replies = []
    for n in range(5):
        reply = post_create(author=alice, body=f"r{n}", reply_to_id=focus.pk)
        replies.append(reply)
        replies.append(post_create(author=bob, body=f"r{n}.1", reply_to_id=reply.pk))
    first = api(None).get(f"/api/v1/posts/{focus.pk}/context", limit=4).json()
    assert [a["id"] for a in first["ancestors"]] == [str(root.pk)]
    assert first["post"]["id"] == str(focus.pk)
    seen = [(r["id"], r["depth"]) for r in first["replies"]]
    after = first["after"]
    while after:
        page = api(None).get(f"/api/v1/posts/{focus.pk}/context", limit=4, after=after).json()
        seen += [(r["id"], r["depth"]) for r in page["replies"]]
        after = page["after"]
    assert [pid for pid, _ in seen] == [str(r.pk) for r in replies]
    assert [depth for _, depth in seen] == [1, 2] * 5


def test_post_context_leaves_out_muted_people_and_refuses_reposts(api, alice, bob, carol) -> None:
    root = post_create(author=alice, body="root")
    post_create(author=bob, body="from bob", reply_to_id=root.pk)
    kept = post_create(author=carol, body="from carol", reply_to_id=root.pk)
    mute_create(muter=alice, muted=bob)
    thread = api(alice).get(f"/api/v1/posts/{root.pk}/context").json()
    assert [r["id"] for r in thread["replies"]] == [str(kept.pk)]
    repost = repost_create(user=carol, post_id=root.pk)
    assert_error(api(alice).get(f"/api/v1/posts/{repost.pk}/context"), 404)


# --- reposts, likes, bookmarks ----------------------------------------------------------------


def test_post_repost_embeds_the_original_and_undoing_it_removes_it(api, alice, bob) -> None:
    original = post_create(author=bob, body="worth sharing")
    first = api(alice).post(f"/api/v1/posts/{original.pk}/repost")
    again = api(alice).post(f"/api/v1/posts/{original.pk}/repost")
    assert first.status_code == again.status_code == 200
    body = first.json()
    assert body["id"] == again.json()["id"] != str(original.pk)
    assert body["author"]["handle"] == "alice"
    assert body["body_html"] == ""
    assert body["repost_of"]["id"] == str(original.pk)
    assert body["repost_of"]["author"]["handle"] == "bob"
    assert body["repost_of"]["counts"]["reposts"] == 1
    assert body["repost_of"]["viewer"]["reposted"] is True
    assert "repost_of" not in body["repost_of"]  # one level: a repost of a repost is not a thing
    listed = api(None).get("/api/v1/profiles/alice/posts").json()["items"]
    assert [item["repost_of"]["id"] for item in listed] == [str(original.pk)]
    assert api(alice).delete(f"/api/v1/posts/{original.pk}/repost").status_code == 204
    assert Post.objects.filter(repost_of=original).count() == 0
    assert Post.objects.get(pk=original.pk).reposts_count == 0


def test_post_like_counts_once_and_unlike_takes_it_back(api, alice, bob) -> None:
    post = post_create(author=bob, body="likeable")
    caller = api(alice)
    for _ in range(2):
        response = caller.post(f"/api/v1/posts/{post.pk}/like")
        assert response.status_code == 200
    assert response.json()["counts"]["likes"] == 1
    assert response.json()["viewer"]["liked"] is True
    assert caller.delete(f"/api/v1/posts/{post.pk}/like").status_code == 204
    assert caller.delete(f"/api/v1/posts/{post.pk}/like").status_code == 204
    assert PostLike.objects.count() == 0
    assert Post.objects.get(pk=post.pk).likes_count == 0


def test_liking_a_repost_likes_the_original(api, alice, bob, carol) -> None:
    original = post_create(author=bob, body="x")
    repost = repost_create(user=carol, post_id=original.pk)
    body = api(alice).post(f"/api/v1/posts/{repost.pk}/like").json()
    assert body["id"] == str(repost.pk)
    assert body["repost_of"]["viewer"]["liked"] is True
    assert PostLike.objects.get().post_id == original.pk


def test_post_bookmark_is_private_and_listed_in_my_bookmarks_only(api, alice, bob) -> None:
    post = post_create(author=bob, body="save me")
    body = api(alice).post(f"/api/v1/posts/{post.pk}/bookmark").json()
    assert body["viewer"]["bookmarked"] is True
    assert api(bob).get(f"/api/v1/posts/{post.pk}").json()["viewer"]["bookmarked"] is False
    assert [p["id"] for p in api(alice).get("/api/v1/me/bookmarks").json()["items"]] == [
        str(post.pk)
    ]
    assert api(bob).get("/api/v1/me/bookmarks").json()["items"] == []
    assert api(alice).delete(f"/api/v1/posts/{post.pk}/bookmark").status_code == 204
    assert PostBookmark.objects.count() == 0


def test_post_likers_and_reposters_leave_out_blocked_and_muted_people(
    api, alice, bob, carol, make_user
) -> None:
    post = post_create(author=bob, body="popular")
    dave = make_user(handle="dave")
    for fan in (carol, dave):
        post_like(user=fan, post_id=post.pk)
        repost_create(user=fan, post_id=post.pk)
    for path in ("likes", "reposts"):
        page = api(None).get(f"/api/v1/posts/{post.pk}/{path}").json()
        assert [person["handle"] for person in page["items"]] == ["dave", "carol"]
        assert page["items"][0]["relationship"] is None
    block_create(blocker=alice, blocked=carol)
    mute_create(muter=alice, muted=dave)
    for path in ("likes", "reposts"):
        page = api(alice).get(f"/api/v1/posts/{post.pk}/{path}").json()
        assert page == {"items": [], "before": None}


def test_posts_of_a_tag_are_public_ones_only_and_impossible_names_are_404(api, alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    public = post_create(author=alice, body="#Café au lait")
    post_create(author=alice, body="#cafe for friends", visibility="followers")
    post_create(author=alice, body="#CAFE unlisted", visibility="unlisted")
    for name in ("cafe", "Café", "%23CAFE"):
        items = api(bob).get(f"/api/v1/tags/{name}/posts").json()["items"]
        assert [p["id"] for p in items] == [str(public.pk)], name
    assert api(None).get("/api/v1/tags/nothing/posts").json() == {"items": [], "before": None}
    for impossible in ("2024", "a%00b", "x" * 101, "with%20space"):
        assert_error(api(None).get(f"/api/v1/tags/{impossible}/posts"), 404)
