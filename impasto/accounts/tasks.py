"""Background work for accounts. Each task takes ids (or a rendered email) and is safe to run
twice: it re-reads the state and does nothing when there is nothing left to do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task


@task()
def email_send_task(payload: dict[str, Any]) -> None:
    from impasto.accounts.services import email_send

    email_send(payload=payload)


@task()
def account_erase_task(user_id: int) -> bool:
    """Erase the account once its grace period is over (a cancelled deletion does nothing)."""
    from impasto.accounts.services import account_erase

    return account_erase(user_id=user_id)


@task()
def data_export_build_task(export_id: int) -> bool:
    from impasto.accounts.services import data_export_build

    return data_export_build(export_id=export_id)


@task()
def data_export_expire_task(export_id: int) -> bool:
    from impasto.accounts.services import data_export_expire

    return data_export_expire(export_id=export_id)


def enqueue_at(task: Task[Any, Any], when: datetime, *args: Any) -> bool:
    """Enqueue ``task`` to run at ``when``. Returns False when the backend cannot wait.

    The database backend of production honours ``run_after``; a backend that cannot defer
    (the immediate one of the test suite) gets nothing, and the operators' sweep commands
    (``purge_deleted_accounts``, ``purge_expired_exports``) do the work when it is due.
    """
    if task.get_backend().supports_defer:
        task.using(run_after=when).enqueue(*args)
        return True
    if when <= timezone.now():
        task.enqueue(*args)
        return True
    return False
