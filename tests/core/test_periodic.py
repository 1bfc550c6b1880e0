"""The scheduler runs each app's periodic jobs once per period, and survives a failing job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from impasto.accounts.models import User
from impasto.core import periodic
from impasto.core.jobs import PeriodicJob
from impasto.core.models import PeriodicRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_sweep_and_purge_is_scheduled():
    names = {job.name for job in periodic.periodic_jobs()}
    assert {
        "purge_deleted_accounts",
        "purge_expired_exports",
        "imaging_sweep",
        "send_digests --enqueue",
        "cloak_requeue",
        "lift_suspensions",
        "purge_unattached_uploads",
    } <= names


def test_a_due_job_runs_once_per_period(monkeypatch):
    job = PeriodicJob("check", every=timedelta(hours=1), args=("--fail-level", "ERROR"))
    monkeypatch.setattr(periodic, "periodic_jobs", lambda: [job])
    now = timezone.now()
    first = periodic.run_due_jobs(now=now)
    assert [(result.name, result.ok) for result in first] == [("check --fail-level ERROR", True)]
    assert periodic.run_due_jobs(now=now + timedelta(minutes=59)) == []
    assert len(periodic.run_due_jobs(now=now + timedelta(minutes=61))) == 1
    run = PeriodicRun.objects.get(name=job.name)
    assert run.last_ok is True
    assert "System check identified no issues" in run.last_output


def test_a_failing_job_is_recorded_and_the_others_still_run(monkeypatch):
    broken = PeriodicJob("no_such_command_here", every=timedelta(minutes=1))
    fine = PeriodicJob("check", every=timedelta(minutes=1))
    monkeypatch.setattr(periodic, "periodic_jobs", lambda: [broken, fine])
    results = periodic.run_due_jobs()
    assert [(result.name, result.ok) for result in results] == [
        ("no_such_command_here", False),
        ("check", True),
    ]
    assert PeriodicRun.objects.get(name="no_such_command_here").last_ok is False


def test_the_scheduler_purges_an_account_past_its_grace_period(settings):
    # The real job, end to end: an account deleted long ago is purged by `scheduler --once`.
    person = UserFactory.create()
    User.objects.filter(pk=person.pk).update(
        deletion_scheduled_at=timezone.now() - timedelta(days=400)
    )
    call_command("scheduler", "--once")
    assert not User.objects.filter(pk=person.pk).exists()
    assert PeriodicRun.objects.get(name="purge_deleted_accounts").last_ok is True


def test_running_once_leaves_the_callers_signal_handlers_alone():
    import signal

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    call_command("scheduler", "--once")
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
