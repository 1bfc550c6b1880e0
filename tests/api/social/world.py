"""A small social world seen from one person, the owner, for authorization tests.

Roles are how the caller stands with the owner:

- ``anonymous``: no credentials;
- ``owner``: the person whose posts, bookmarks, notifications and messages these are;
- ``follower``: follows the owner (accepted before the owner locked the account) and writes
  with them in direct messages;
- ``stranger``: no relation; has sent the owner a message request;
- ``blocked``: blocked by the owner;
- ``muted``: muted by the owner (which the muted person must not be able to tell).

The owner's account is locked and ``requester`` waits for approval. Marker strings sit in the
texts that only some roles may read (:data:`SECRETS`): a response to anyone else must never
contain them. A later site-wide authorization matrix builds the same world and reuses
``tests.api.social.cases``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from impasto.accounts.models import User
from impasto.api.services import token_create
from impasto.social.models import (
    Block,
    Conversation,
    ConversationMember,
    Follow,
    Message,
    Mute,
    Notification,
    Post,
    PostBookmark,
    PostLike,
    PostRevision,
    SocialSettings,
    UserCounters,
)
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, post_edit
from impasto.social.services.reactions import post_bookmark, post_like
from tests.factories import UserFactory

ROLES = ("anonymous", "owner", "follower", "stranger", "blocked", "muted")

PUBLIC_TEXT = "public-marker"
FOLLOWERS_TEXT = "followers-marker"
UNLISTED_TEXT = "unlisted-marker"
DM_TEXT = "private-chat-marker"
REQUEST_DM_TEXT = "message-request-marker"
REQUESTER = "requester"

# Text -> the roles that may ever read it, in any answer.
SECRETS: dict[str, frozenset[str]] = {
    PUBLIC_TEXT: frozenset(ROLES) - {"blocked"},
    UNLISTED_TEXT: frozenset(ROLES) - {"blocked"},
    FOLLOWERS_TEXT: frozenset({"owner", "follower"}),
    DM_TEXT: frozenset({"owner", "follower"}),
    REQUEST_DM_TEXT: frozenset({"owner", "stranger"}),
}


@dataclass
class World:
    people: dict[str, User]
    requester: User
    public_post: Post
    followers_post: Post
    unlisted_post: Post
    conversation: Conversation  # owner and follower
    request_conversation: Conversation  # stranger wrote to owner: a request on the owner's side
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, scope) -> raw

    def user(self, role: str) -> User | None:
        return self.people.get(role)

    def names(self) -> dict[str, Any]:
        """What case paths and bodies may name: ``{public_post}``, ``{owner}``..."""
        return {
            "public_post": self.public_post.pk,
            "followers_post": self.followers_post.pk,
            "unlisted_post": self.unlisted_post.pk,
            "conversation": self.conversation.pk,
            "request_conversation": self.request_conversation.pk,
            "requester": self.requester.handle,
            **{role: user.handle for role, user in self.people.items()},
        }

    def token(self, role: str, scope: str) -> str:
        key = (role, scope)
        if key not in self.tokens:
            _token, raw = token_create(user=self.people[role], name=f"{role} {scope}", scope=scope)
            self.tokens[key] = raw
        return self.tokens[key]


def build_world() -> World:
    """The world above, through the services (run inside ``django_capture_on_commit_callbacks
    (execute=True)`` to get the notifications the owner would have)."""
    people = {
        role: UserFactory.create(handle=role, display_name=role.title())
        for role in ROLES
        if role != "anonymous"
    }
    owner, follower, stranger = people["owner"], people["follower"], people["stranger"]
    requester = UserFactory.create(handle=REQUESTER)

    follow_create(follower=follower, followee=owner)
    public = post_create(author=owner, body=f"{PUBLIC_TEXT} #matrix")
    followers = post_create(author=owner, body=FOLLOWERS_TEXT, visibility="followers")
    unlisted = post_create(author=owner, body=UNLISTED_TEXT, visibility="unlisted")
    post_edit(author=owner, post_id=public.pk, body=f"{PUBLIC_TEXT} #matrix (edited)")
    block_create(blocker=owner, blocked=people["blocked"])
    mute_create(muter=owner, muted=people["muted"])

    post_like(user=follower, post_id=public.pk)
    post_bookmark(user=follower, post_id=public.pk)
    post_bookmark(user=owner, post_id=followers.pk)
    post_create(author=follower, body="a reply", reply_to_id=public.pk)

    social_settings_update(user=owner, locked=True)
    follow_create(follower=requester, followee=owner)

    message_send(sender=owner, recipient=follower, body=DM_TEXT)
    message_send(sender=follower, recipient=owner, body=f"{DM_TEXT} back")
    request = message_send(sender=stranger, recipient=owner, body=REQUEST_DM_TEXT)
    conversation = Conversation.objects.get(
        user_low_id=min(owner.pk, follower.pk), user_high_id=max(owner.pk, follower.pk)
    )
    return World(
        people=people,
        requester=requester,
        public_post=public,
        followers_post=followers,
        unlisted_post=unlisted,
        conversation=conversation,
        request_conversation=request.conversation,
    )


# Every table a social operation may write, as comparable rows (access tokens are left out:
# a request records when its token was last used).
_STATE: list[tuple[type[Model], tuple[str, ...]]] = [
    (Post, ("id", "body", "content_warning", "deleted_at", "edited_at", "likes_count",
            "reposts_count", "quotes_count", "replies_count")),
    (PostRevision, ("id",)),
    (PostLike, ("user_id", "post_id")),
    (PostBookmark, ("user_id", "post_id")),
    (Follow, ("follower_id", "followee_id", "state")),
    (Block, ("blocker_id", "blocked_id")),
    (Mute, ("muter_id", "muted_id")),
    (SocialSettings, ("user_id", "locked", "message_policy", "allow_quotes", "digest_daily")),
    (UserCounters, ("user_id", "followers_count", "following_count", "posts_count")),
    (Notification, ("id", "read_at")),
    (Conversation, ("id", "last_message_id")),
    (ConversationMember, ("id", "status", "last_read_id", "last_message_id")),
    (Message, ("id",)),
]  # fmt: skip


def snapshot() -> dict[str, frozenset[tuple[Any, ...]]]:
    """The social state of the whole database, to prove a refused request changed nothing."""
    return {
        model.__name__: frozenset(model._default_manager.values_list(*columns))
        for model, columns in _STATE
    }
