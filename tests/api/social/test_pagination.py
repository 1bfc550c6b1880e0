"""Walking a social list page by page while new items arrive: nothing skipped, nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest

from impasto.accounts.models import User
from impasto.social.services.graph import follow_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create
from impasto.social.services.reactions import post_bookmark, post_like
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ITEMS = 7
PAGE = 3


@dataclass
class Scene:
    """A list of ``ITEMS`` things as ``reader`` sees it, and a way to add one more."""

    path: str
    reader: User
    add: Callable[[], object]
    key: Callable[[dict[str, Any]], str] = lambda item: item["id"]
    query: dict[str, str] | None = None


def _profile_posts(alice: User, bob: User) -> Scene:
    for n in range(ITEMS):
        post_create(author=bob, body=f"post {n}")
    return Scene("/api/v1/profiles/bob/posts", alice, lambda: post_create(author=bob, body="new"))


def _tag_posts(alice: User, bob: User) -> Scene:
    for n in range(ITEMS):
        post_create(author=bob, body=f"#walk {n}")
    return Scene("/api/v1/tags/walk/posts", alice, lambda: post_create(author=bob, body="#walk"))


def _bookmarks(alice: User, bob: User) -> Scene:
    for n in range(ITEMS):
        post_bookmark(user=alice, post_id=post_create(author=bob, body=f"{n}").pk)

    def add() -> None:
        post_bookmark(user=alice, post_id=post_create(author=bob, body="new").pk)

    return Scene("/api/v1/me/bookmarks", alice, add)


def _likes_tab(alice: User, bob: User) -> Scene:
    # Liked in the opposite order of writing: the list follows the likes, not the posts.
    posts = [post_create(author=bob, body=f"{n}") for n in range(ITEMS)]
    for post in reversed(posts):
        post_like(user=alice, post_id=post.pk)

    def add() -> None:
        post_like(user=alice, post_id=post_create(author=bob, body="new").pk)

    return Scene("/api/v1/profiles/alice/likes", bob, add)


_numbers = count()


def _fan() -> User:
    return UserFactory.create(handle=f"fan{next(_numbers)}")


def _likers(alice: User, bob: User) -> Scene:
    post = post_create(author=bob, body="popular")
    for _ in range(ITEMS):
        post_like(user=_fan(), post_id=post.pk)
    return Scene(
        f"/api/v1/posts/{post.pk}/likes",
        alice,
        lambda: post_like(user=_fan(), post_id=post.pk),
        key=lambda person: person["handle"],
    )


def _followers(alice: User, bob: User) -> Scene:
    for _ in range(ITEMS):
        follow_create(follower=_fan(), followee=bob)
    return Scene(
        "/api/v1/profiles/bob/followers",
        alice,
        lambda: follow_create(follower=_fan(), followee=bob),
        key=lambda person: person["handle"],
    )


def _conversations(alice: User, bob: User) -> Scene:
    for _ in range(ITEMS):
        message_send(sender=_fan(), recipient=alice, body="hello")
    return Scene(
        "/api/v1/conversations",
        alice,
        lambda: message_send(sender=_fan(), recipient=alice, body="hello"),
        query={"folder": "requests"},
    )


def _messages(alice: User, bob: User) -> Scene:
    first = message_send(sender=bob, recipient=alice, body="0")
    for n in range(1, ITEMS):
        message_send(sender=bob, recipient=alice, body=str(n))
    return Scene(
        f"/api/v1/conversations/{first.conversation_id}/messages",
        alice,
        lambda: message_send(sender=bob, recipient=alice, body="new"),
    )


SCENES = [
    _profile_posts,
    _tag_posts,
    _bookmarks,
    _likes_tab,
    _likers,
    _followers,
    _conversations,
    _messages,
]


@pytest.mark.parametrize("make", SCENES, ids=[scene.__name__.strip("_") for scene in SCENES])
def test_walking_back_skips_and_repeats_nothing_while_items_arrive(api, alice, bob, make) -> None:
    scene = make(alice, bob)
    caller = api(scene.reader)
    query = scene.query or {}
    everything = [
        scene.key(item) for item in caller.get(scene.path, limit=50, **query).json()["items"]
    ]
    assert len(everything) == ITEMS

    seen: list[str] = []
    before = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": PAGE, **query}
        if before is not None:
            params["before"] = before
        page = caller.get(scene.path, **params).json()
        seen += [scene.key(item) for item in page["items"]]
        pages += 1
        scene.add()  # something new arrives between two pages
        before = page["before"]
        if before is None:
            break
    assert seen == everything
    assert pages == -(-ITEMS // PAGE)
    newest = caller.get(scene.path, limit=50, **query).json()["items"]
    assert len(newest) == ITEMS + pages  # the new ones are there, at the top


def test_thread_replies_arriving_while_paging_come_at_the_end(api, alice, bob) -> None:
    root = post_create(author=alice, body="root")
    replies = [post_create(author=bob, body=f"r{n}", reply_to_id=root.pk) for n in range(ITEMS)]
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": PAGE}
        if after is not None:
            params["after"] = after
        page = api(None).get(f"/api/v1/posts/{root.pk}/context", **params).json()
        seen += [reply["id"] for reply in page["replies"]]
        after = page["after"]
        if after is None:
            break
        replies.append(post_create(author=bob, body="late", reply_to_id=root.pk))
    assert seen == [str(reply.pk) for reply in replies]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=51", "limit"), ("before=x1", "before"), ("limit=two", "limit")],
)
def test_bad_page_parameters_are_422_with_the_field(api, alice, query, field) -> None:
    response = api(alice).get(f"/api/v1/profiles/alice/posts?{query}")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
