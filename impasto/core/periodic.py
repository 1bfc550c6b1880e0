"""Periodic jobs: the sweeps and purges each app needs run every so often.

An app lists its jobs on its ``AppConfig``::

    from impasto.core.jobs import PeriodicJob

    class AccountsConfig(AppConfig):
        periodic_jobs = [
            PeriodicJob("purge_deleted_accounts", every=timedelta(hours=1)),
        ]

Each job is a management command (so it can also be run by hand or from cron). ``impasto
scheduler`` (started by ``impasto start`` beside the web server and the worker) runs the jobs
that are due. A job is claimed with one conditional UPDATE on its :class:`PeriodicRun` row, so
several schedulers on several machines never run the same job twice in one period.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from impasto.core.jobs import PeriodicJob
from impasto.core.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    output: str


def periodic_jobs() -> list[PeriodicJob]:
    """Every installed app's jobs."""
    jobs: list[PeriodicJob] = []
    for config in apps.get_app_configs():
        jobs.extend(getattr(config, "periodic_jobs", ()))
    return jobs


def _claim(job: PeriodicJob, now: datetime) -> bool:
    """Take the job for this period; False when it ran recently or another scheduler has it."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another scheduler created the row at the same moment
        pass
    due = PeriodicRun.objects.filter(
        Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every), name=job.name
    )
    return due.update(last_started_at=now) == 1


def run_due_jobs(*, now: datetime | None = None) -> list[JobResult]:
    """Run the jobs that are due, one after another; a failing job does not stop the others."""
    now = now or timezone.now()
    results = []
    for job in periodic_jobs():
        if not _claim(job, now):
            continue
        out = io.StringIO()
        try:
            call_command(job.command, *job.args, stdout=out, stderr=out)
        except Exception:  # a broken job is logged and retried next period, never fatal
            logger.exception("periodic job %s failed", job.name)
            ok = False
        else:
            ok = True
        output = out.getvalue().strip()[-2000:]
        PeriodicRun.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_ok=ok, last_output=output
        )
        results.append(JobResult(name=job.name, ok=ok, output=output))
    return results
