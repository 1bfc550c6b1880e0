"""Background work of the portfolio: ids in, idempotent (social's notify creates a row once)."""

from __future__ import annotations

from django_tasks import task


@task()
def project_like_notify_task(like_id: int) -> None:
    from impasto.art.services import notification_for_like

    notification_for_like(like_id=like_id)


@task()
def project_comment_notify_task(comment_id: int) -> None:
    from impasto.art.services import notification_for_comment

    notification_for_comment(comment_id=comment_id)
