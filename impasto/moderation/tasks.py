from __future__ import annotations

from django_tasks import task

from impasto.moderation import services


@task()
def sanctions_lift_task() -> None:
    """Reopen accounts whose suspension ended; run it from the scheduler (hourly is plenty)."""
    services.sanctions_lift_expired()
