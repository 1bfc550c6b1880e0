"""Who may open which social page: one case per route, the expected status for every reader.

A case is data (a URL built from the :class:`~tests.social.web.world.World`, a method, the
expected status per role), so a later site-wide matrix can import ``CASES`` and run them next to
other apps' cases. 302 is the log-in redirect for someone not signed in (or, for a POST that
succeeded without htmx, the redirect back); 403 a visible post that is not the reader's; 404
what the reader may not see at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tests.social.web.world import ROLES, World


def _all(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


# Visible to everyone but the two sides of a block.
OPEN = _all(200, blocked=404, blocking=404)
# Signed-in pages of one's own (bookmarks, notifications, inbox...).
MEMBERS = _all(200, anonymous=302)
# A followers-only post: the author and accepted followers (muting changes nothing here).
FOLLOWERS = _all(404, owner=200, follower=200, muting=200)
# Changing a post: its author; someone who sees it but does not own it is refused (403).
AUTHOR = _all(403, anonymous=302, owner=200, blocked=404, blocking=404)
# A conversation: its two members.
CONVERSATION = _all(404, anonymous=302, owner=200, follower=200)
# Acting on the artist (block, message): anyone signed in who sees her, not herself.
ABOUT_HER = _all(200, anonymous=302, owner=404, blocked=404, blocking=404)


@dataclass(frozen=True)
class RouteCase:
    id: str
    url: Callable[[World], str]
    expect: Mapping[str, int]
    method: str = "GET"
    data: Mapping[str, Any] = field(default_factory=dict)
    htmx: bool = False


def _post(w: World, name: str, post: str = "public") -> str:
    target = w.public if post == "public" else w.private
    return reverse(name, kwargs={"handle": "mira", "post_id": target.pk})


def _id(w: World, name: str, post: str = "public") -> str:
    target = w.public if post == "public" else w.private
    return reverse(name, kwargs={"post_id": target.pk})


CASES: list[RouteCase] = [
    # the profile and its tabs (served by accounts, built by social)
    RouteCase("profile", lambda w: "/@mira", OPEN),
    RouteCase("profile-posts", lambda w: "/@mira/posts", OPEN),
    RouteCase("profile-likes", lambda w: "/@mira/likes", OPEN),
    RouteCase("followers", lambda w: reverse("social:followers", args=["mira"]), OPEN),
    RouteCase("following", lambda w: reverse("social:following", args=["mira"]), OPEN),
    # posts
    RouteCase("post-public", lambda w: _post(w, "social:post-detail"), OPEN),
    RouteCase("post-followers", lambda w: _post(w, "social:post-detail", "private"), FOLLOWERS),
    RouteCase("post-history", lambda w: _post(w, "social:post-history"), OPEN),
    RouteCase(
        "post-history-followers",
        lambda w: _post(w, "social:post-history", "private"),
        FOLLOWERS,
    ),
    RouteCase("post-edit", lambda w: _post(w, "social:post-edit"), AUTHOR),
    RouteCase("post-delete", lambda w: _post(w, "social:post-delete"), AUTHOR),
    RouteCase("compose", lambda w: reverse("social:post-create"), MEMBERS),
    RouteCase(
        "compose-reply",
        lambda w: f"{reverse('social:post-create')}?reply_to={w.public.pk}",
        _all(200, anonymous=302, blocked=404, blocking=404),
    ),
    RouteCase(
        "compose-reply-followers",
        lambda w: f"{reverse('social:post-create')}?reply_to={w.private.pk}",
        _all(404, anonymous=302, owner=200, follower=200, muting=200),
    ),
    RouteCase(
        "compose-quote",
        lambda w: f"{reverse('social:post-create')}?quote={w.public.pk}",
        _all(200, anonymous=302, blocked=404, blocking=404),
    ),
    RouteCase("tag", lambda w: reverse("social:tag", args=["ink"]), _all(200)),
    RouteCase("bookmarks", lambda w: reverse("social:bookmarks"), MEMBERS),
    # people
    RouteCase("follow-requests", lambda w: reverse("social:follow-requests"), MEMBERS),
    RouteCase("block-confirm", lambda w: reverse("social:block", args=["mira"]), ABOUT_HER),
    # notifications and messages
    RouteCase("notifications", lambda w: reverse("social:notifications"), MEMBERS),
    RouteCase("inbox", lambda w: reverse("social:inbox"), MEMBERS),
    RouteCase("message-requests", lambda w: reverse("social:message-requests"), MEMBERS),
    RouteCase(
        "conversation",
        lambda w: reverse("social:conversation", args=[w.conversation_id]),
        CONVERSATION,
    ),
    RouteCase(
        "message-new",
        lambda w: reverse("social:message-new", args=["mira"]),
        # Her follower already writes to her: the button leads to that conversation.
        {**ABOUT_HER, "follower": 302},
    ),
    # settings
    RouteCase("settings", lambda w: reverse("social:settings"), MEMBERS),
    RouteCase("settings-blocked", lambda w: reverse("social:settings-blocked"), MEMBERS),
    # actions (POST): a plain form post is redirected back (302), htmx gets a partial (200)
    RouteCase(
        "like",
        lambda w: _id(w, "social:post-like"),
        _all(302, blocked=404, blocking=404),
        method="POST",
    ),
    RouteCase(
        "like-htmx",
        lambda w: _id(w, "social:post-like"),
        _all(200, anonymous=204, blocked=404, blocking=404),
        method="POST",
        htmx=True,
    ),
    RouteCase(
        "like-followers",
        lambda w: _id(w, "social:post-like", "private"),
        _all(404, anonymous=302, owner=302, follower=302, muting=302),
        method="POST",
    ),
    RouteCase(
        "bookmark",
        lambda w: _id(w, "social:post-bookmark"),
        _all(302, blocked=404, blocking=404),
        method="POST",
    ),
    RouteCase(
        "repost",
        lambda w: _id(w, "social:post-repost"),
        _all(302, blocked=404, blocking=404),
        method="POST",
    ),
    RouteCase(
        "repost-followers",
        lambda w: _id(w, "social:post-repost", "private"),
        # Visible to them, but a followers-only post never travels: 400 with the reason.
        _all(404, anonymous=302, owner=400, follower=400, muting=400),
        method="POST",
    ),
    RouteCase(
        "follow",
        lambda w: reverse("social:follow", args=["mira"]),
        # Following oneself is bad input (400); across a block, there is nobody (404).
        _all(302, owner=400, blocked=404, blocking=404),
        method="POST",
    ),
    RouteCase(
        "reply",
        lambda w: reverse("social:post-create"),
        _all(302, blocked=404, blocking=404),
        method="POST",
        data={"body": "Nice", "visibility": "public", "reply_to": "{public}"},
    ),
    RouteCase(
        "message-send",
        lambda w: reverse("social:message-send", args=[w.conversation_id]),
        _all(404, anonymous=302, owner=302, follower=302),
        method="POST",
        data={"body": "Hello again"},
    ),
]


def fill(data: Mapping[str, Any], world: World) -> dict[str, Any]:
    """Form data with ``{public}`` / ``{private}`` replaced by the world's post ids."""
    ids = {"public": world.public.pk, "private": world.private.pk}
    return {
        key: value.format(**ids) if isinstance(value, str) else value for key, value in data.items()
    }
