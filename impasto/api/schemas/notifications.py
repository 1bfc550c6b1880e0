"""Notifications as the API shows them: grouped the way the web page shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from impasto.api.schemas.common import SnowflakeId, SnowflakeIdIn
from impasto.api.schemas.posts import PostSummaryOut, post_summary_out
from impasto.api.schemas.social import AuthorOut, SocialPageParams, author_out
from impasto.social.models import Post
from impasto.social.models.notifications import NotificationKind
from impasto.social.selectors.notifications import UNREAD_CAP, NotificationGroup


class NotificationTargetOut(Schema):
    type: str = Field(description='What it is about: "post" (later "project", "comment").')
    id: SnowflakeId
    post: PostSummaryOut | None = Field(description='The post, when type is "post".')


class NotificationGroupOut(Schema):
    """One line of your notifications: "Mira and 3 others liked your post"."""

    id: SnowflakeId = Field(
        description="The group's latest notification: the page cursor, and what to pass to "
        "`POST /notifications/read` as `up_to` to mark everything up to here read."
    )
    kind: NotificationKind
    summary: str = Field(description="The line to show, in the request's language.")
    count: int = Field(description="How many different people.")
    unread: bool
    latest_at: datetime
    actors: list[AuthorOut] = Field(description="Up to three of them, most recent first.")
    target: NotificationTargetOut | None = Field(description="Null for follows.")


def notification_group_out(group: NotificationGroup) -> dict[str, Any]:
    target = None
    if group.target_type:
        post = group.target if isinstance(group.target, Post) else None
        target = {
            "type": group.target_type,
            "id": group.target_id,
            "post": post_summary_out(post) if post is not None else None,
        }
    return {
        "id": group.latest_id,
        "kind": group.kind,
        "summary": group.summary(),
        "count": group.count,
        "unread": group.unread,
        "latest_at": group.latest_at,
        "actors": [author_out(actor) for actor in group.actors],
        "target": target,
    }


class NotificationsParams(SocialPageParams):
    unread: bool = Field(default=False, description="Only groups with something unread.")


class UnreadCountOut(Schema):
    count: int = Field(description=f"Unread notifications, counted up to {UNREAD_CAP}.")
    more: bool = Field(description=f"True when there are {UNREAD_CAP} or more: show '99+'.")


class NotificationsReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    up_to: SnowflakeIdIn | None = Field(
        default=None,
        description="Mark read the notifications up to this one (a group's id); "
        "left out or null: all of them.",
    )


class NotificationsReadOut(Schema):
    marked: int = Field(description="How many notifications were marked read now.")
