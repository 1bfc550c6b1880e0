"""Your notifications: /api/v1/notifications (grouped, the unread count, marking read)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from impasto.api.auth import current_user
from impasto.api.errors import error_responses
from impasto.api.schemas.notifications import (
    NotificationGroupOut,
    NotificationsParams,
    NotificationsReadIn,
    NotificationsReadOut,
    UnreadCountOut,
    notification_group_out,
)
from impasto.api.schemas.social import SocialPage
from impasto.api.social import page_out, viewer_of
from impasto.social.selectors.notifications import (
    UNREAD_CAP,
    notification_groups,
    notifications_unread_count,
)
from impasto.social.services.notifications import notifications_mark_read

router = Router(tags=["notifications"])


@router.get(
    "",
    response={200: SocialPage[NotificationGroupOut], **error_responses(401, 422)},
    summary="Your notifications, grouped",
)
def notifications_list(request: HttpRequest, params: Query[NotificationsParams]) -> dict[str, Any]:
    """Most recent group first. Likes and reposts of one post are one group, so are a day's
    follows and all follow requests; replies, mentions and quotes stand alone. A group that
    gets a new notification moves back to the top. Nothing from people you block or mute,
    nor about posts you can no longer see."""
    page = notification_groups(
        viewer_of(request), before=params.before, limit=params.limit, unread_only=params.unread
    )
    return page_out(page, notification_group_out)


@router.get(
    "/unread-count",
    response={200: UnreadCountOut, **error_responses(401)},
    summary="How many notifications are unread",
)
def notifications_unread_count_get(request: HttpRequest) -> UnreadCountOut:
    count = notifications_unread_count(viewer_of(request))
    return UnreadCountOut(count=count, more=count >= UNREAD_CAP)


@router.post(
    "/read",
    response={200: NotificationsReadOut, **error_responses(400, 401, 403, 422)},
    summary="Mark notifications read",
)
def notifications_read(request: HttpRequest, payload: NotificationsReadIn) -> NotificationsReadOut:
    """All of them, or those up to `up_to` (the `id` of the newest group you have shown)."""
    marked = notifications_mark_read(user=current_user(request), up_to_id=payload.up_to)
    return NotificationsReadOut(marked=marked)
