"""Background work of the social app. Each task takes ids, calls one service, and is safe to
run twice (the services it calls are idempotent). Services enqueue them on commit."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def post_notify_task(post_id: int) -> None:
    from impasto.social.services.notifications import notifications_for_post

    notifications_for_post(post_id=post_id)


@task()
def like_notify_task(like_id: int) -> None:
    from impasto.social.services.notifications import notification_for_like

    notification_for_like(like_id=like_id)


@task()
def follow_notify_task(follow_id: int) -> None:
    from impasto.social.services.notifications import notification_for_follow

    notification_for_follow(follow_id=follow_id)


@task()
def digest_send_task(user_id: int, day: str) -> bool:
    from impasto.social.services.notifications import digest_send

    return digest_send(user_id=user_id, day=dt.date.fromisoformat(day))
