"""Every social API operation, with the status each role gets (see ``world.py`` for the roles).

Plain data, so that a later site-wide authorization matrix can import :data:`CASES` and
:func:`expected_status` and run them its own way. ``expect`` gives the status for a caller
whose credentials may write (a session or a write token); a read-only token gets 403 on any
unsafe method, and anonymous callers get ``expect["anonymous"]``.

``mutates`` names the roles whose successful call changes the database (default: every role
with a 2xx on an unsafe method, none on a safe one); for every other call the matrix proves
that nothing at all changed. ``check`` looks at the answer of a successful call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.api.social.world import ROLES, World

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
Check = Callable[[World, str, Any], None]


@dataclass(frozen=True)
class EndpointCase:
    name: str  # the test id: operation id, and what it is tried on
    method: str
    path: str  # "/api/v1/posts/{public_post}": names from World.names()
    expect: dict[str, int]
    body: dict[str, Any] | None = None  # string values may name things too: "{owner}"
    mutates: frozenset[str] | None = None
    check: Check | None = None

    def path_for(self, world: World) -> str:
        return self.path.format(**world.names())

    def body_for(self, world: World) -> dict[str, Any] | None:
        if self.body is None:
            return None
        names = world.names()
        return {
            key: value.format(**names) if isinstance(value, str) else value
            for key, value in self.body.items()
        }

    def changes_state(self, role: str, status: int) -> bool:
        if not 200 <= status < 300:
            return False
        if self.mutates is not None:
            return role in self.mutates
        return self.method not in SAFE


def expected_status(case: EndpointCase, role: str, credential: str) -> int:
    """``credential`` is "none", "session", "read_token" or "write_token"."""
    if role == "anonymous":
        return case.expect["anonymous"]
    if credential == "read_token" and case.method not in SAFE:
        return 403
    return case.expect[role]


def E(
    anonymous: int, owner: int, follower: int, stranger: int, blocked: int, muted: int
) -> dict[str, int]:
    """Statuses in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, owner, follower, stranger, blocked, muted), strict=True))


NOBODY: frozenset[str] = frozenset()


# --- checks on what a successful answer shows -----------------------------------------------


def _ids(body: Any) -> list[str]:
    return [item["id"] for item in body["items"]]


def only_own_bookmarks(world: World, role: str, body: Any) -> None:
    mine = {
        "owner": [str(world.followers_post.pk)],
        "follower": [str(world.public_post.pk)],
    }
    assert _ids(body) == mine.get(role, [])


def only_own_requests(world: World, role: str, body: Any) -> None:
    handles = [item["handle"] for item in body["items"]]
    assert handles == ([world.requester.handle] if role == "owner" else [])


def only_own_notifications(world: World, role: str, body: Any) -> None:
    if role == "owner":
        assert {item["kind"] for item in body["items"]} >= {"like", "reply", "follow_request"}
    else:
        assert body["items"] == []


def only_own_unread_count(world: World, role: str, body: Any) -> None:
    assert (body["count"] > 0) is (role == "owner")


def only_own_inbox(world: World, role: str, body: Any) -> None:
    inbox = {
        "owner": [str(world.conversation.pk)],
        "follower": [str(world.conversation.pk)],
        "stranger": [str(world.request_conversation.pk)],
    }
    assert _ids(body) == inbox.get(role, [])


def only_own_requests_folder(world: World, role: str, body: Any) -> None:
    assert _ids(body) == ([str(world.request_conversation.pk)] if role == "owner" else [])


def only_own_message_counts(world: World, role: str, body: Any) -> None:
    expected = {"owner": {"conversations": 1, "requests": 1}}
    assert body == expected.get(role, {"conversations": 0, "requests": 0})


def only_own_settings(world: World, role: str, body: Any) -> None:
    assert body["locked"] is (role == "owner")


def relationship_as_seen(world: World, role: str, body: Any) -> None:
    assert body["is_self"] is (role == "owner")
    assert body["following"] is (role == "follower")
    # The owner mutes "muted" and has a request from "requester": nobody else learns of it.
    assert body["muting"] is False
    assert body["requested_by"] is False


def followers_post_only_for_followers(world: World, role: str, body: Any) -> None:
    shown = set(_ids(body))
    assert str(world.public_post.pk) in shown
    assert (str(world.followers_post.pk) in shown) is (role in {"owner", "follower"})


# --- the cases --------------------------------------------------------------------------------

POST = "/api/v1/posts/{public_post}"
FPOST = "/api/v1/posts/{followers_post}"
OWNER = "/api/v1/profiles/{owner}"

CASES: list[EndpointCase] = [
    # posts
    EndpointCase("post_create", "POST", "/api/v1/posts", E(401, 201, 201, 201, 201, 201),
                 body={"body": "hello"}),
    EndpointCase("post_create:reply_to_followers_only", "POST", "/api/v1/posts",
                 E(401, 201, 201, 404, 404, 404),
                 body={"body": "hi", "reply_to": "{followers_post}"}),
    EndpointCase("post_create:quote", "POST", "/api/v1/posts", E(401, 201, 201, 201, 404, 201),
                 body={"body": "look", "quote_of": "{public_post}"}),
    EndpointCase("post_get:public", "GET", POST, E(200, 200, 200, 200, 404, 200)),
    EndpointCase("post_get:unlisted", "GET", "/api/v1/posts/{unlisted_post}",
                 E(200, 200, 200, 200, 404, 200)),
    EndpointCase("post_get:followers_only", "GET", FPOST, E(404, 200, 200, 404, 404, 404)),
    EndpointCase("post_edit:public", "PATCH", POST, E(401, 200, 403, 403, 404, 403),
                 body={"body": "changed"}),
    EndpointCase("post_edit:followers_only", "PATCH", FPOST, E(401, 200, 403, 404, 404, 404),
                 body={"body": "changed"}),
    EndpointCase("post_delete:public", "DELETE", POST, E(401, 204, 403, 403, 404, 403)),
    EndpointCase("post_delete:followers_only", "DELETE", FPOST, E(401, 204, 403, 404, 404, 404)),
    EndpointCase("post_context:public", "GET", f"{POST}/context", E(200, 200, 200, 200, 404, 200)),
    EndpointCase("post_context:followers_only", "GET", f"{FPOST}/context",
                 E(404, 200, 200, 404, 404, 404)),
    EndpointCase("post_revisions_list", "GET", f"{POST}/revisions",
                 E(200, 200, 200, 200, 404, 200)),
    EndpointCase("post_repost:public", "POST", f"{POST}/repost", E(401, 200, 200, 200, 404, 200)),
    EndpointCase("post_repost:followers_only", "POST", f"{FPOST}/repost",
                 E(401, 422, 422, 404, 404, 404)),
    EndpointCase("post_unrepost", "DELETE", f"{POST}/repost", E(401, 204, 204, 204, 204, 204),
                 mutates=NOBODY),
    EndpointCase("post_like:public", "POST", f"{POST}/like", E(401, 200, 200, 200, 404, 200),
                 mutates=frozenset({"owner", "stranger", "muted"})),  # follower liked it already
    EndpointCase("post_like:followers_only", "POST", f"{FPOST}/like",
                 E(401, 200, 200, 404, 404, 404)),
    EndpointCase("post_unlike", "DELETE", f"{POST}/like", E(401, 204, 204, 204, 204, 204),
                 mutates=frozenset({"follower"})),
    EndpointCase("post_bookmark:public", "POST", f"{POST}/bookmark",
                 E(401, 200, 200, 200, 404, 200),
                 mutates=frozenset({"owner", "stranger", "muted"})),
    EndpointCase("post_bookmark:followers_only", "POST", f"{FPOST}/bookmark",
                 E(401, 200, 200, 404, 404, 404), mutates=frozenset({"follower"})),
    EndpointCase("post_unbookmark", "DELETE", f"{POST}/bookmark",
                 E(401, 204, 204, 204, 204, 204), mutates=frozenset({"follower"})),
    EndpointCase("post_likers_list:public", "GET", f"{POST}/likes",
                 E(200, 200, 200, 200, 404, 200)),
    EndpointCase("post_likers_list:followers_only", "GET", f"{FPOST}/likes",
                 E(404, 200, 200, 404, 404, 404)),
    EndpointCase("post_reposters_list", "GET", f"{POST}/reposts", E(200, 200, 200, 200, 404, 200)),
    EndpointCase("tag_posts_list", "GET", "/api/v1/tags/matrix/posts",
                 E(200, 200, 200, 200, 200, 200)),
    # people
    EndpointCase("profile_posts_list", "GET", f"{OWNER}/posts", E(200, 200, 200, 200, 404, 200),
                 check=followers_post_only_for_followers),
    EndpointCase("profile_likes_list", "GET", "/api/v1/profiles/{follower}/likes",
                 E(200, 200, 200, 200, 200, 200)),
    EndpointCase("profile_followers_list", "GET", f"{OWNER}/followers",
                 E(200, 200, 200, 200, 404, 200)),
    EndpointCase("profile_following_list", "GET", f"{OWNER}/following",
                 E(200, 200, 200, 200, 404, 200)),
    EndpointCase("relationship_get", "GET", f"{OWNER}/relationship",
                 E(401, 200, 200, 200, 404, 200), check=relationship_as_seen),
    EndpointCase("profile_follow", "POST", f"{OWNER}/follow", E(401, 422, 200, 200, 404, 200),
                 mutates=frozenset({"stranger", "muted"})),  # a request: the owner is locked
    EndpointCase("profile_unfollow", "DELETE", f"{OWNER}/follow", E(401, 200, 200, 200, 200, 200),
                 mutates=frozenset({"follower"})),
    EndpointCase("profile_block", "POST", f"{OWNER}/block", E(401, 422, 200, 200, 200, 200)),
    EndpointCase("profile_unblock", "DELETE", f"{OWNER}/block", E(401, 200, 200, 200, 200, 200),
                 mutates=NOBODY),
    EndpointCase("profile_mute", "POST", f"{OWNER}/mute", E(401, 422, 200, 200, 200, 200)),
    EndpointCase("profile_unmute", "DELETE", f"{OWNER}/mute", E(401, 200, 200, 200, 200, 200),
                 mutates=NOBODY),
    # the caller's own
    EndpointCase("bookmarks_list", "GET", "/api/v1/me/bookmarks", E(401, 200, 200, 200, 200, 200),
                 check=only_own_bookmarks),
    EndpointCase("follow_requests_list", "GET", "/api/v1/me/follow-requests",
                 E(401, 200, 200, 200, 200, 200), check=only_own_requests),
    EndpointCase("follow_request_accept", "POST", "/api/v1/me/follow-requests/{requester}/accept",
                 E(401, 200, 404, 404, 404, 404)),
    EndpointCase("follow_request_reject", "POST", "/api/v1/me/follow-requests/{requester}/reject",
                 E(401, 200, 404, 404, 404, 404)),
    EndpointCase("follower_remove", "DELETE", "/api/v1/me/followers/{follower}",
                 E(401, 200, 200, 200, 200, 200), mutates=frozenset({"owner"})),
    EndpointCase("social_settings_get", "GET", "/api/v1/me/social-settings",
                 E(401, 200, 200, 200, 200, 200), check=only_own_settings),
    EndpointCase("social_settings_update", "PATCH", "/api/v1/me/social-settings",
                 E(401, 200, 200, 200, 200, 200), body={"digest_daily": True}),
    EndpointCase("notifications_list", "GET", "/api/v1/notifications",
                 E(401, 200, 200, 200, 200, 200), check=only_own_notifications),
    EndpointCase("notifications_unread_count_get", "GET", "/api/v1/notifications/unread-count",
                 E(401, 200, 200, 200, 200, 200), check=only_own_unread_count),
    EndpointCase("notifications_read", "POST", "/api/v1/notifications/read",
                 E(401, 200, 200, 200, 200, 200), body={}, mutates=frozenset({"owner"})),
    # direct messages
    EndpointCase("conversations_list:inbox", "GET", "/api/v1/conversations",
                 E(401, 200, 200, 200, 200, 200), check=only_own_inbox),
    EndpointCase("conversations_list:requests", "GET", "/api/v1/conversations?folder=requests",
                 E(401, 200, 200, 200, 200, 200), check=only_own_requests_folder),
    EndpointCase("messages_unread_count_get", "GET", "/api/v1/conversations/unread-count",
                 E(401, 200, 200, 200, 200, 200), check=only_own_message_counts),
    EndpointCase("message_send", "POST", "/api/v1/conversations", E(401, 403, 201, 201, 403, 201),
                 body={"to": "{owner}", "body": "hello"}),
    EndpointCase("messages_list", "GET", "/api/v1/conversations/{conversation}/messages",
                 E(401, 200, 200, 404, 404, 404)),
    EndpointCase("messages_list:request", "GET",
                 "/api/v1/conversations/{request_conversation}/messages",
                 E(401, 200, 404, 200, 404, 404)),
    EndpointCase("message_reply", "POST", "/api/v1/conversations/{conversation}/messages",
                 E(401, 201, 201, 404, 404, 404), body={"body": "and another thing"}),
    EndpointCase("conversation_accept", "POST",
                 "/api/v1/conversations/{request_conversation}/accept",
                 E(401, 204, 404, 204, 404, 404), mutates=frozenset({"owner"})),
    EndpointCase("conversation_decline", "POST",
                 "/api/v1/conversations/{request_conversation}/decline",
                 E(401, 204, 404, 204, 404, 404)),
    EndpointCase("conversation_read", "POST", "/api/v1/conversations/{conversation}/read",
                 E(401, 204, 204, 404, 404, 404), body={}, mutates=frozenset({"owner"})),
]  # fmt: skip


def operations_covered() -> set[str]:
    return {case.name.split(":")[0] for case in CASES}
