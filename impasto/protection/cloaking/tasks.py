"""Background work for cloaking: one task, which takes a job id and is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="media")
def cloak_apply_task(job_id: int) -> str | None:
    """Cloak one image (see ``services.cloak_apply``); returns the job's status."""
    from impasto.protection.cloaking.services import cloak_apply

    job = cloak_apply(job_id=job_id)
    return job.status if job else None
