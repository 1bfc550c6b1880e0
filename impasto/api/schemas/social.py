"""Shapes every social operation shares: people, relationships, pages, the settings."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool

from impasto.accounts.models import User
from impasto.accounts.selectors import picture_url
from impasto.api.schemas.accounts import absolute_url
from impasto.api.schemas.common import Answer, SnowflakeId
from impasto.social.models import SocialSettings
from impasto.social.models.settings import MessagePolicy
from impasto.social.pagination import DEFAULT_LIMIT, MAX_LIMIT
from impasto.social.selectors.relations import Relationship

T = TypeVar("T")


class SocialPageParams(Schema):
    """Query parameters of a social list: ``params: Query[SocialPageParams]``."""

    before: SnowflakeId | None = Field(
        default=None, description="Only items older than this cursor (the page's `before`)."
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items, at most."
    )


class SocialPage(Answer, Generic[T]):
    """A page of a social list, newest first. Pass ``before`` back to get the next page."""

    items: list[T]
    before: SnowflakeId | None = Field(
        description="Pass as ?before= for the next (older) page; null on the last page."
    )


class AuthorOut(Answer):
    """A person as a post, a list or a message shows them."""

    handle: str
    display_name: str = Field(description="May be empty: show the handle then.")
    avatar_url: str | None = Field(description="Absolute URL of the avatar, or null.")


def author_out(user: User) -> dict[str, Any]:
    """``user`` (with ``profile`` loaded, or it costs a query) as :class:`AuthorOut`."""
    url = picture_url(user=user, field="avatar")
    return {
        "handle": user.handle,
        "display_name": user.display_name,
        "avatar_url": absolute_url(url) if url else None,
    }


class RelationshipOut(Schema):
    """How you stand with one person. Whether they block you is never said."""

    is_self: bool = Field(description="This is you.")
    following: bool = Field(description="You follow them.")
    followed_by: bool = Field(description="They follow you.")
    requested: bool = Field(description="Your follow request waits for their approval.")
    requested_by: bool = Field(description="Their follow request waits for your approval.")
    blocking: bool = Field(description="You block them.")
    muting: bool = Field(description="You mute them.")


def relationship_out(rel: Relationship) -> dict[str, bool]:
    return {
        "is_self": rel.is_self,
        "following": rel.following,
        "followed_by": rel.followed_by,
        "requested": rel.requested,
        "requested_by": rel.requested_by,
        "blocking": rel.blocking,
        "muting": rel.muting,
    }


class PersonOut(AuthorOut):
    """A person in a list (followers, likes...)."""

    relationship: RelationshipOut | None = Field(
        description="Yours with them, in follower and request lists when you are signed in; "
        "null elsewhere."
    )


def person_out(user: User, rel: Relationship | None = None) -> dict[str, Any]:
    return {**author_out(user), "relationship": relationship_out(rel) if rel else None}


class SocialSettingsOut(Schema):
    locked: bool = Field(description="New followers wait until you accept them.")
    message_policy: MessagePolicy = Field(description="Who may send you direct messages.")
    allow_quotes: bool = Field(description="Others may quote your posts.")
    digest_daily: bool = Field(description="A daily email with what you missed.")

    @classmethod
    def of(cls, settings: SocialSettings) -> SocialSettingsOut:
        return cls(
            locked=settings.locked,
            message_policy=MessagePolicy(settings.message_policy),
            allow_quotes=settings.allow_quotes,
            digest_daily=settings.digest_daily,
        )


class SocialSettingsIn(Schema):
    """The settings to change; fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    locked: StrictBool | None = Field(
        default=None, description="Unlocking accepts the follow requests that were waiting."
    )
    message_policy: MessagePolicy | None = None
    allow_quotes: StrictBool | None = None
    digest_daily: StrictBool | None = None
