"""Every social list costs the same number of queries for 5 items as for 20."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impasto.social.services.graph import follow_create, social_settings_update
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_bookmark, post_like
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POSTS = 28  # 7 of each kind: enough for 20 on the tag page too
FANS = 21

# Token (1) and reader's relations (1) come first on every authenticated call; then the
# selector's own queries. Pinned so that a change shows up here, in review.
EXPECTED = {
    "profile posts": 7,  # + the person; post ids; posts, authors, my flags; quoted; images
    "profile likes": 7,  # + the person; likes; posts; quoted posts; images
    "tag posts": 8,  # + the tag; the reader's filters (impasto.feeds); ids; posts; quoted; images
    "bookmarks": 6,  # bookmarks; posts; quoted posts; images
    "post likers": 4,  # + the post; likes with people
    "post reposters": 4,  # + the post; reposts with people
    "followers": 5,  # + the person; follows with people; their follows of me
    "following": 5,
    "follow requests": 4,  # follows with people; their follows of me
    "notifications": 5,  # groups; up to three actors per group; target posts
    "conversations": 5,  # memberships with people; last messages; my own profile
    "messages": 4,  # + the conversation; messages with senders
    "thread": 5,  # + the post; the thread; images (no quotes in it)
}


@pytest.fixture
def scene(alice, bob, carol, commit) -> dict[str, str]:
    """Enough of everything for two page sizes; returns the lists' addresses."""
    fans = [UserFactory.create(handle=f"fan{n}") for n in range(FANS)]
    first = post_create(author=bob, body="the first")
    mine = [post_create(author=alice, body=f"mine {n}") for n in range(FANS)]
    for n in range(POSTS):
        kind = n % 4
        if kind == 0:
            post = post_create(author=bob, body=f"#many @alice {n}")
        elif kind == 1:
            post = repost_create(user=bob, post_id=post_create(author=carol, body=f"c{n}").pk)
        elif kind == 2:
            quoted = post_create(author=carol, body=f"q{n}")
            post = post_create(author=bob, body=f"#many quote {n}", quote_of_id=quoted.pk)
        else:
            post = post_create(author=bob, body=f"#many reply {n}", reply_to_id=first.pk)
        post_like(user=alice, post_id=post.pk)
        post_bookmark(user=alice, post_id=post.pk)
    follow_create(follower=alice, followee=bob)
    with commit():
        for fan, post in zip(fans, mine, strict=True):
            follow_create(follower=fan, followee=bob)
            follow_create(follower=alice, followee=fan)
            post_like(user=fan, post_id=first.pk)
            repost_create(user=fan, post_id=first.pk)
            post_like(user=fan, post_id=post.pk)  # one notification group each
            message_send(sender=fan, recipient=alice, body="hello")
    social_settings_update(user=alice, locked=True)
    for fan in fans:
        follow_create(follower=fan, followee=alice)  # a request each
        post_create(author=fan, body="a reply", reply_to_id=first.pk)
    conversation = None
    for n in range(FANS):
        message = message_send(sender=bob if n % 2 else alice, recipient=alice if n % 2 else bob,
                               body=str(n))  # fmt: skip
        conversation = message.conversation_id
    return {
        "profile posts": "/api/v1/profiles/bob/posts?replies=true",
        "profile likes": "/api/v1/profiles/alice/likes",
        "tag posts": "/api/v1/tags/many/posts",
        "bookmarks": "/api/v1/me/bookmarks",
        "post likers": f"/api/v1/posts/{first.pk}/likes",
        "post reposters": f"/api/v1/posts/{first.pk}/reposts",
        "followers": "/api/v1/profiles/bob/followers",
        "following": "/api/v1/profiles/alice/following",
        "follow requests": "/api/v1/me/follow-requests",
        "notifications": "/api/v1/notifications",
        "conversations": "/api/v1/conversations",
        "messages": f"/api/v1/conversations/{conversation}/messages",
        "thread": f"/api/v1/posts/{first.pk}/context",
    }


def _queries(caller: Any, path: str, limit: int) -> tuple[int, int]:
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = caller.client.get(f"{path}{separator}limit={limit}", headers=caller.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    shown = len(body["items"] if "items" in body else body["replies"])
    return len(queries), shown


def test_each_list_costs_the_same_whatever_the_page_size(api, alice, scene) -> None:
    caller = api(alice)
    caller.get("/api/v1/me/social-settings")  # the token's first use records it (one UPDATE)
    counted: dict[str, int] = {}
    for name, path in scene.items():
        small, shown_small = _queries(caller, path, 5)
        large, shown_large = _queries(caller, path, 20)
        assert (shown_small, shown_large) == (5, 20), name
        assert small == large, f"{name}: {small} queries for 5 items, {large} for 20"
        counted[name] = large
    assert counted == EXPECTED
