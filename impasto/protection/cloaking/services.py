"""Every write to cloak jobs: the artist's request, the run, the artist's own cloak, the sweep.

The run (:func:`cloak_apply`) is what ``cloak_apply_task`` calls. It is safe to run twice and
safe to kill: it claims the job with a conditional UPDATE (queued -> running, or a running job
silent for longer than ``CLOAKING["STALE_AFTER"]``), computes outside any transaction, then
stores the result only if the job is still on the generation it claimed, holding the job's row
lock while the pipeline switches the variants. The variants are replaced only on success: a
failure leaves the work served as it was, with the reason on the job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from impasto.accounts.models import User
from impasto.core.states import TransitionError
from impasto.protection.cloaking import registry
from impasto.protection.cloaking.base import CloakError, CloakResult, CloakUnavailable
from impasto.protection.cloaking.levels import CloakLevel
from impasto.protection.cloaking.models import CloakJob
from impasto.protection.cloaking.pipeline import Variant

logger = logging.getLogger(__name__)

Status = CloakJob.Status
MAX_ERROR = 500
UNEXPECTED = "an unexpected error stopped the cloak; the work is served without it"


def _enqueue(job_id: int) -> None:
    from impasto.protection.cloaking.tasks import cloak_apply_task

    transaction.on_commit(lambda: cloak_apply_task.enqueue(job_id))


def _move(job: CloakJob, *, to: str, generation: int | None = None, **changes: Any) -> bool:
    """Conditional UPDATE from the job's current status (and generation, when given)."""
    if to not in CloakJob.TRANSITIONS.get(job.status, set()):
        raise TransitionError(f"CloakJob cannot go from {job.status!r} to {to!r}")
    rows = CloakJob.objects.filter(pk=job.pk, status=job.status)
    if generation is not None:
        rows = rows.filter(generation=generation)
    values = {"status": to, "updated_at": timezone.now(), **changes}
    if not rows.update(**values):
        return False
    job.refresh_from_db()
    return True


# --- the artist's choice ------------------------------------------------------------------------
@transaction.atomic
def cloak_request(
    *, owner: User, work_id: int, asset_ids: Sequence[int], level: CloakLevel | str
) -> list[CloakJob]:
    """Apply ``level`` to each image of a work, in the background; returns the jobs.

    ``asset_ids`` must be the work's images as the image pipeline lists them for ``owner``
    (``CloakPipeline.work_assets``). Asking again for the level a job already has, or is
    working on, changes nothing; a failed or unavailable job is tried again; images whose
    artist cloaked them already keep their own cloak. Raises ``PermissionDenied`` for an image
    whose job belongs to someone else.
    """
    level = CloakLevel(level)
    now = timezone.now()
    jobs: list[CloakJob] = []
    existing = {
        job.asset_id: job
        for job in CloakJob.objects.select_for_update().filter(asset_id__in=list(asset_ids))
    }
    for asset_id in asset_ids:
        job = existing.get(asset_id)
        if job is not None and job.owner_id != owner.pk:
            raise PermissionDenied("this image belongs to someone else")
        if job is None:
            if level == CloakLevel.OFF:
                continue  # never cloaked: nothing to undo
            job = CloakJob.objects.create(
                owner=owner, work_id=work_id, asset_id=asset_id, level=level, requested_at=now
            )
            _enqueue(job.pk)
        elif job.status == Status.KEPT:
            pass  # the artist's own cloak: never cloaked again over it
        elif job.level == level and job.status in {Status.QUEUED, Status.RUNNING, Status.DONE}:
            pass  # already there or on its way
        else:
            CloakJob.objects.filter(pk=job.pk).update(
                level=level,
                work_id=work_id,
                generation=F("generation") + 1,
                status=Status.QUEUED,
                error="",
                requested_at=now,
                started_at=None,
                finished_at=None,
                updated_at=now,
            )
            job.refresh_from_db()
            _enqueue(job.pk)
        jobs.append(job)
    return jobs


def cloak_work_move(*, owner: User, asset_ids: Sequence[int], work_id: int) -> int:
    """The owner's images joined a work (an image added to a project): their jobs, whatever
    their state (the artist's own cloak included), now belong to it. Returns how many moved."""
    return (
        CloakJob.objects.filter(owner=owner, asset_id__in=list(asset_ids))
        .exclude(work_id=work_id)
        .update(work_id=work_id, updated_at=timezone.now())
    )


@transaction.atomic
def cloak_variants_replaced(*, asset_id: int) -> CloakJob | None:
    """The pipeline made the image's variants again (uncloaked): cloak them again.

    A job that finished its cloak, or is running on the old variants, is queued anew on a
    new generation (a running one's result is dropped); queued jobs, failed ones, "off" and
    the artist's own cloak are left alone."""
    job = CloakJob.objects.select_for_update().filter(asset_id=asset_id).first()
    if job is None or job.level == CloakLevel.OFF:
        return job
    if job.status not in {Status.DONE, Status.RUNNING}:
        return job
    now = timezone.now()
    CloakJob.objects.filter(pk=job.pk).update(
        generation=F("generation") + 1,
        status=Status.QUEUED,
        error="",
        requested_at=now,
        started_at=None,
        finished_at=None,
        updated_at=now,
    )
    job.refresh_from_db()
    _enqueue(job.pk)
    return job


@transaction.atomic
def cloak_keep_own(*, owner: User, work_id: int, asset_id: int, kept_width: int | None) -> CloakJob:
    """Record that the artist cloaked this image before upload and the pipeline kept its pixels.

    ``kept_width`` is the width served pixel for pixel (``preserve.plan_widths``), or None when
    the upload was wider than any display width and every variant had to be resized.
    """
    job = CloakJob.objects.select_for_update().filter(asset_id=asset_id).first()
    if job is not None and job.owner_id != owner.pk:
        raise PermissionDenied("this image belongs to someone else")
    values: dict[str, Any] = {
        "owner": owner,
        "work_id": work_id,
        "level": CloakLevel.OFF,
        "status": Status.KEPT,
        "backend": "artist",
        "details": {"kept_width": kept_width},
        "error": "",
        "finished_at": timezone.now(),
    }
    if job is None:
        return CloakJob.objects.create(asset_id=asset_id, **values)
    if job.status == Status.RUNNING:
        # A cloak of ours is being computed: its result must not land over the artist's pixels.
        values["generation"] = job.generation + 1
    for key, value in values.items():
        setattr(job, key, value)
    job.save()
    return job


# --- the run ------------------------------------------------------------------------------------
def _claim(job: CloakJob) -> int | None:
    """Take the job for this run; the generation claimed, or None when there is nothing to do."""
    now = timezone.now()
    generation = job.generation
    if job.status == Status.QUEUED:
        fresh = True
    elif job.status == Status.RUNNING and (
        job.started_at is None or job.started_at < now - timedelta(seconds=registry.stale_after())
    ):
        logger.warning("cloak job %s: taking over a run silent since %s", job.pk, job.started_at)
        fresh = False
    else:
        return None  # finished, or running elsewhere: safe to call twice
    claimed = _move(
        job,
        to=Status.RUNNING,
        generation=generation,
        started_at=now,
        attempts=F("attempts") + 1,
        **({"error": ""} if fresh else {}),
    )
    return generation if claimed else None


def _summary(cloaked: list[tuple[Variant, CloakResult]]) -> dict[str, Any]:
    return {"variants": {variant.name: result.summary() for variant, result in cloaked}}


def cloak_apply(*, job_id: int) -> CloakJob | None:
    """Run one job: cloak every variant of its image, then switch the image to them."""
    job = CloakJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    generation = _claim(job)
    if generation is None:
        return job
    pipeline = registry.get_pipeline()
    backend = registry.get_backend()
    cloaked: list[tuple[Variant, CloakResult]] = []
    try:
        if job.level != CloakLevel.OFF:
            availability = backend.available()
            if not availability.ok:
                raise CloakUnavailable(availability.reason)
            variants = pipeline.variants(asset_id=job.asset_id)
            if not variants:
                raise CloakError("the image has no display variants yet")
            seed = job.asset_id % (2**31)  # the same image and level give the same cloak
            for variant in variants:
                cloaked.append(
                    (variant, backend.cloak(variant.pixels, level=CloakLevel(job.level), seed=seed))
                )
        with transaction.atomic():
            current = (
                CloakJob.objects.select_for_update()
                .filter(pk=job.pk, generation=generation, status=Status.RUNNING)
                .first()
            )
            if current is None:
                logger.info(
                    "cloak job %s: generation %s was replaced; result dropped", job.pk, generation
                )
                return CloakJob.objects.get(pk=job.pk)
            if job.level == CloakLevel.OFF:
                pipeline.clear(asset_id=job.asset_id)
            else:
                pipeline.store(asset_id=job.asset_id, job_id=job.pk, cloaked=cloaked)
            _move(
                current,
                to=Status.DONE,
                generation=generation,
                backend=backend.name if cloaked else "",
                ssim=min((r.ssim for _v, r in cloaked), default=None),
                psnr=min((r.psnr for _v, r in cloaked), default=None),
                details=_summary(cloaked),
                finished_at=timezone.now(),
            )
            transaction.on_commit(lambda: _notify_if_work_finished(current))
            return current
    except CloakUnavailable as error:
        return _finish(job, generation, Status.UNAVAILABLE, str(error))
    except CloakError as error:
        return _finish(job, generation, Status.FAILED, str(error))
    except Exception:
        logger.exception("cloak job %s failed", job.pk)
        return _finish(job, generation, Status.FAILED, UNEXPECTED)


def _finish(job: CloakJob, generation: int, status: str, reason: str) -> CloakJob:
    job.refresh_from_db()
    if job.status == Status.RUNNING and _move(
        job,
        to=status,
        generation=generation,
        error=reason[:MAX_ERROR],
        ssim=None,
        psnr=None,
        details={},
        finished_at=timezone.now(),
    ):
        logger.info("cloak job %s %s: %s", job.pk, status, reason)
        _notify_if_work_finished(job)
    return job


def _notify_if_work_finished(job: CloakJob) -> None:
    """Tell the artist once, when the last unfinished image of the work has finished."""
    notify = registry.get_notifier()
    if notify is None:
        return
    siblings = CloakJob.objects.of_work(owner_id=job.owner_id, work_id=job.work_id)
    if siblings.unfinished().exists():
        return
    last = siblings.exclude(status=Status.KEPT).order_by("-finished_at", "-id").first()
    if last is not None and last.pk == job.pk:
        try:
            notify(job)
        except Exception:
            logger.exception("cloak notice for work %s failed", job.work_id)


# --- the sweep ----------------------------------------------------------------------------------
def cloak_requeue_stale() -> int:
    """Queue again the jobs a lost task or a killed worker left behind; returns how many.

    Run it from the pipeline's sweeper (cron or the worker's periodic job). The task's claim
    decides what is really stale, so queuing a job that is fine costs one cheap no-op run.
    """
    before = timezone.now() - timedelta(seconds=registry.stale_after())
    stale = list(
        CloakJob.objects.filter(status=Status.RUNNING, started_at__lt=before).values_list(
            "pk", flat=True
        )
    ) + list(
        CloakJob.objects.filter(status=Status.QUEUED, requested_at__lt=before).values_list(
            "pk", flat=True
        )
    )
    from impasto.protection.cloaking.tasks import cloak_apply_task

    for job_id in stale:
        cloak_apply_task.enqueue(job_id)
    return len(stale)
