"""Reads for the cloaking panel: one work's jobs, summed up for the artist."""

from __future__ import annotations

from dataclasses import dataclass, field

from impasto.protection.cloaking.levels import CloakLevel
from impasto.protection.cloaking.models import CloakJob
from impasto.protection.cloaking.registry import get_backend

Status = CloakJob.Status


@dataclass(frozen=True)
class WorkCloak:
    """What the panel shows for one work."""

    work_id: int
    level: str  # the artist's current choice
    status: str  # "off", "working", "done", "failed", "unavailable", "kept" (the whole work)
    jobs: list[CloakJob] = field(default_factory=list)
    available: bool = True
    unavailable_reason: str = ""
    ssim: float | None = None  # worst over the work
    psnr: float | None = None

    @property
    def level_label(self) -> str:
        return str(CloakLevel(self.level).label)

    @property
    def working(self) -> bool:
        return self.status == "working"


def cloak_jobs_for_work(*, owner_id: int, work_id: int) -> list[CloakJob]:
    return list(CloakJob.objects.of_work(owner_id=owner_id, work_id=work_id).order_by("asset_id"))


def cloak_work_summary(*, owner_id: int, work_id: int) -> WorkCloak:
    """The work's cloak in one line (and each image's below it), for its owner. One query."""
    jobs = cloak_jobs_for_work(owner_id=owner_id, work_id=work_id)
    ours = [job for job in jobs if job.status != Status.KEPT]
    latest = max(ours, key=lambda job: (job.requested_at or job.created_at, job.pk), default=None)
    level = latest.level if latest else CloakLevel.OFF
    statuses = {job.status for job in ours}
    if statuses & {Status.QUEUED, Status.RUNNING}:
        status = "working"
    elif Status.FAILED in statuses:
        status = "failed"
    elif Status.UNAVAILABLE in statuses:
        status = "unavailable"
    elif ours and level != CloakLevel.OFF:
        status = "done"
    elif jobs and not ours:
        status = "kept"
    else:
        status = "off"
    availability = get_backend().available()
    measured = [job for job in ours if job.status == Status.DONE and job.ssim is not None]
    return WorkCloak(
        work_id=work_id,
        level=level,
        status=status,
        jobs=jobs,
        available=availability.ok,
        unavailable_reason=availability.reason,
        ssim=min((job.ssim for job in measured if job.ssim is not None), default=None),
        psnr=min((job.psnr for job in measured if job.psnr is not None), default=None),
    )


def cloak_jobs_by_asset(*, asset_ids: list[int]) -> dict[int, CloakJob]:
    """Each image's job (for the upload list's status line), in one query."""
    return {job.asset_id: job for job in CloakJob.objects.filter(asset_id__in=asset_ids)}
