"""Cloak jobs through the service and the task, with the built-in backend (tiny encoder) and a
pipeline adapter over real PNG files: requests, runs, retries, races, failures and the notice.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from impasto.protection.cloaking import services
from impasto.protection.cloaking.base import CloakError, CloakUnavailable
from impasto.protection.cloaking.levels import BUDGETS, CloakLevel
from impasto.protection.cloaking.models import CloakJob
from impasto.protection.cloaking.tasks import cloak_apply_task
from tests.factories import UserFactory
from tests.protection.cloaking import builders as b

pytestmark = pytest.mark.django_db

Status = CloakJob.Status
WORK = 7_000_001


@pytest.fixture
def settings_on(encoder_file, folder_pipeline):
    with override_settings(CLOAKING=b.encoder_config(encoder_file)):
        yield folder_pipeline


@pytest.fixture
def artist(settings_on):
    artist = UserFactory.create()
    settings_on.add(
        owner_id=artist.pk,
        work_id=WORK,
        asset_id=101,
        widths={48: b.painting(48, 32), 80: b.painting(80, 54)},
    )
    settings_on.add(owner_id=artist.pk, work_id=WORK, asset_id=102, widths={64: b.flat(64, 40)})
    return artist


def request(artist, level, assets=(101, 102), capture=None):
    if capture is None:
        return services.cloak_request(
            owner=artist, work_id=WORK, asset_ids=list(assets), level=level
        )
    with capture(execute=True):
        return services.cloak_request(
            owner=artist, work_id=WORK, asset_ids=list(assets), level=level
        )


def test_a_request_cloaks_every_variant_and_records_the_numbers(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    before = {a: settings_on.served(a) for a in (101, 102)}
    request(artist, "default", capture=django_capture_on_commit_callbacks)
    budget = BUDGETS[CloakLevel.DEFAULT]
    for asset in (101, 102):
        job = CloakJob.objects.get(asset_id=asset)
        assert job.status == Status.DONE
        assert (job.level, job.backend, job.attempts, job.error) == ("default", "encoder", 1, "")
        assert job.started_at is not None
        assert job.finished_at is not None
        assert job.ssim is not None
        assert job.ssim >= budget.min_ssim
        assert job.psnr is not None
        assert job.psnr >= budget.min_psnr
        after = settings_on.served(asset)
        assert after.keys() == before[asset].keys()
        for name, pixels in after.items():
            assert pixels.shape == before[asset][name].shape
            assert not np.array_equal(pixels, before[asset][name])
            assert np.abs(pixels.astype(int) - before[asset][name]).max() <= budget.epsilon
            numbers = job.details["variants"][name]
            assert numbers["ssim"] >= budget.min_ssim
            assert numbers["feature_shift"] > 0
        # The job keeps the worst variant's numbers.
        assert job.ssim == pytest.approx(
            min(v["ssim"] for v in job.details["variants"].values()), abs=1e-5
        )
    # One notice for the work, when its last image was done.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [artist.email]
    assert "Your work is cloaked" in mail.outbox[0].subject
    assert "All 2 images" in mail.outbox[0].body
    assert "it can be removed" in mail.outbox[0].body


def test_the_task_is_safe_to_run_twice(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    (job, _other) = request(artist, "low", capture=django_capture_on_commit_callbacks)
    served = settings_on.served(101)
    stores = settings_on.calls.count(("store", 101))
    assert cloak_apply_task.call(job.pk) == Status.DONE
    assert settings_on.calls.count(("store", 101)) == stores == 1
    assert all(np.array_equal(served[k], v) for k, v in settings_on.served(101).items())
    assert CloakJob.objects.get(pk=job.pk).attempts == 1
    assert cloak_apply_task.call(999) is None  # a job that is gone: nothing to do


def test_asking_again_for_the_same_level_changes_nothing(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    request(artist, "low", capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as queued:
        jobs = request(artist, "low")
    assert queued == []
    assert {job.generation for job in jobs} == {1}


def test_a_new_level_cloaks_again_and_off_serves_the_plain_variants(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    plain = settings_on.served(101)
    request(artist, "low", capture=django_capture_on_commit_callbacks)
    low = CloakJob.objects.get(asset_id=101)
    request(artist, "high", capture=django_capture_on_commit_callbacks)
    high = CloakJob.objects.get(asset_id=101)
    assert (high.level, high.status, high.generation) == ("high", Status.DONE, 2)
    assert (
        high.details["variants"]["display-80"]["feature_shift"]
        > low.details["variants"]["display-80"]["feature_shift"]
    )
    request(artist, "off", capture=django_capture_on_commit_callbacks)
    off = CloakJob.objects.get(asset_id=101)
    assert (off.level, off.status, off.ssim, off.details) == (
        "off",
        Status.DONE,
        None,
        {"variants": {}},
    )
    assert ("clear", 101) in settings_on.calls
    assert all(np.array_equal(plain[k], v) for k, v in settings_on.served(101).items())
    assert "The cloak is off" in mail.outbox[-1].subject


def test_off_for_a_work_never_cloaked_makes_no_job(artist, settings_on) -> None:
    assert request(artist, "off") == []
    assert not CloakJob.objects.exists()


def test_a_change_of_mind_during_a_run_is_not_overwritten_by_that_run(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    """The artist picks "high" while the "low" run computes: the low result is dropped."""
    with django_capture_on_commit_callbacks(execute=False):
        (job,) = request(artist, "low", assets=[101])

    def change_of_mind() -> None:
        with django_capture_on_commit_callbacks(execute=False):
            request(artist, "high", assets=[101])

    # Staged where a real race lands: after the run read the variants, before it stores.
    original_variants = settings_on.variants

    def variants_then_change(self, *, asset_id):
        found = original_variants(self, asset_id=asset_id)
        change_of_mind()
        return found

    settings_on.variants = variants_then_change
    try:
        services.cloak_apply(job_id=job.pk)
    finally:
        settings_on.variants = original_variants
    job.refresh_from_db()
    assert (job.level, job.status, job.generation) == ("high", Status.QUEUED, 2)
    assert ("store", 101) not in settings_on.calls  # the stale result never reached the files
    services.cloak_apply(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.level) == (Status.DONE, "high")
    assert settings_on.calls.count(("store", 101)) == 1


def test_a_run_killed_halfway_is_taken_over_once_it_is_stale(artist, settings_on) -> None:
    (job,) = request(artist, "low", assets=[101])
    recent = timezone.now() - timedelta(seconds=10)
    CloakJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=recent, attempts=1)
    alive = services.cloak_apply(job_id=job.pk)
    assert alive is not None
    assert alive.status == Status.RUNNING  # alive elsewhere: left alone
    assert settings_on.calls == []
    CloakJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert services.cloak_requeue_stale() == 1  # the sweep queues it; the run takes it over
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)


def test_a_lost_task_is_queued_again_by_the_sweep(artist, settings_on) -> None:
    (job,) = request(artist, "low", assets=[101])  # its task was never run (no on_commit here)
    assert services.cloak_requeue_stale() == 0
    CloakJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    assert services.cloak_requeue_stale() == 1
    assert CloakJob.objects.get(pk=job.pk).status == Status.DONE


def test_a_server_without_a_backend_says_so_and_changes_nothing(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    plain = settings_on.served(101)
    config = {**b.encoder_config(None), "BACKEND": None}
    with override_settings(CLOAKING=config):
        request(artist, "default", capture=django_capture_on_commit_callbacks)
    job = CloakJob.objects.get(asset_id=101)
    assert job.status == Status.UNAVAILABLE
    assert job.error == "no cloaking backend is configured on this server"
    assert settings_on.calls == []
    assert all(np.array_equal(plain[k], v) for k, v in settings_on.served(101).items())
    assert "could not be fully cloaked" in mail.outbox[0].subject


def test_the_unwired_pipeline_makes_jobs_unavailable(
    encoder_file, django_capture_on_commit_callbacks
) -> None:
    artist = UserFactory.create()
    config = {**b.encoder_config(encoder_file), "PIPELINE": None}
    with override_settings(CLOAKING=config):
        request(artist, "low", assets=[5], capture=django_capture_on_commit_callbacks)
    job = CloakJob.objects.get(asset_id=5)
    assert (job.status, job.error) == (
        Status.UNAVAILABLE,
        "the image pipeline is not connected to cloaking yet",
    )


@pytest.mark.parametrize(
    ("error", "status", "reason"),
    [
        (
            CloakError("the image is still processing"),
            Status.FAILED,
            "the image is still processing",
        ),
        (
            CloakUnavailable("animated images are not cloaked"),
            Status.UNAVAILABLE,
            "animated images are not cloaked",
        ),
        (RuntimeError("disk on fire"), Status.FAILED, services.UNEXPECTED),
    ],
)
def test_failures_leave_the_work_as_it_was_with_the_reason(
    artist, settings_on, django_capture_on_commit_callbacks, error, status, reason
) -> None:
    settings_on.fail_with = error
    request(artist, "low", assets=[101], capture=django_capture_on_commit_callbacks)
    job = CloakJob.objects.get(asset_id=101)
    assert (job.status, job.error, job.ssim) == (status, reason, None)
    assert ("store", 101) not in settings_on.calls
    # Asking again tries again (and succeeds once the cause is gone).
    settings_on.fail_with = None
    request(artist, "low", assets=[101], capture=django_capture_on_commit_callbacks)
    assert CloakJob.objects.get(asset_id=101).status == Status.DONE


def test_an_image_the_artist_cloaked_is_kept_and_never_cloaked_over(
    artist, settings_on, django_capture_on_commit_callbacks
) -> None:
    kept = services.cloak_keep_own(owner=artist, work_id=WORK, asset_id=101, kept_width=80)
    assert (kept.status, kept.backend, kept.details) == (Status.KEPT, "artist", {"kept_width": 80})
    request(artist, "high", capture=django_capture_on_commit_callbacks)
    assert CloakJob.objects.get(asset_id=101).status == Status.KEPT
    assert CloakJob.objects.get(asset_id=102).status == Status.DONE
    assert ("variants", 101) not in settings_on.calls
    # Idempotent: the pipeline may say it twice.
    again = services.cloak_keep_own(owner=artist, work_id=WORK, asset_id=101, kept_width=80)
    assert again.pk == kept.pk


def test_nobody_can_touch_another_artists_image(artist, settings_on) -> None:
    request(artist, "low", assets=[101])
    intruder = UserFactory.create()
    with pytest.raises(PermissionDenied):
        services.cloak_request(owner=intruder, work_id=WORK, asset_ids=[101], level="high")
    with pytest.raises(PermissionDenied):
        services.cloak_keep_own(owner=intruder, work_id=WORK, asset_id=101, kept_width=None)
    assert CloakJob.objects.get(asset_id=101).level == "low"


def test_an_unknown_level_is_refused(artist) -> None:
    with pytest.raises(ValueError, match="'extreme'"):
        request(artist, "extreme")
    assert not CloakJob.objects.exists()
