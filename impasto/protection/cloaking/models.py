"""One cloak job per asset (image): what the artist chose, where it stands, what it measured.

Defined here, registered in the ``protection`` app (``impasto/protection/models.py`` imports
it). The image and project models are not in main yet, so the asset and the work are plain ids:
``asset_id`` is the id of ``imaging.MediaAsset`` and ``work_id`` the id of ``art.Project`` (both
snowflakes). When they land, one migration can turn them into real relations without moving
data (docs/cloaking.md, "Wiring"): ``asset_id`` becomes a ``OneToOneField`` to the asset
(``db_column="asset_id"``), ``work_id`` a ``ForeignKey`` to the project, both ``CASCADE``.

``generation`` counts the artist's requests: a task works for one generation, and its result is
stored only if the job is still on it, so a change of mind during a run is never overwritten by
the run it replaced.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField, TimestampedModel
from impasto.protection.cloaking.levels import CloakLevel


class CloakJobQuerySet(models.QuerySet["CloakJob"]):
    def of_work(self, *, owner_id: int, work_id: int) -> CloakJobQuerySet:
        return self.filter(owner_id=owner_id, work_id=work_id)

    def unfinished(self) -> CloakJobQuerySet:
        return self.filter(status__in=[CloakJob.Status.QUEUED, CloakJob.Status.RUNNING])


class CloakJob(TimestampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        UNAVAILABLE = "unavailable", _("Not available")
        KEPT = "kept", _("Your own cloak, kept")

    #: The moves the job may make. Any finished state goes back to queued when the artist asks
    #: again; running goes to running when a stale run (a killed worker) is taken over.
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.QUEUED: {Status.QUEUED, Status.RUNNING},
        Status.RUNNING: {
            Status.RUNNING,
            Status.QUEUED,
            Status.DONE,
            Status.FAILED,
            Status.UNAVAILABLE,
        },
        Status.DONE: {Status.QUEUED, Status.KEPT},
        Status.FAILED: {Status.QUEUED, Status.KEPT},
        Status.UNAVAILABLE: {Status.QUEUED, Status.KEPT},
        Status.KEPT: {Status.QUEUED, Status.KEPT},
    }
    FINISHED: ClassVar[set[str]] = {Status.DONE, Status.FAILED, Status.UNAVAILABLE, Status.KEPT}

    id = SnowflakeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cloak_jobs"
    )
    #: FK to art.Project once it lands.
    work_id = models.BigIntegerField(_("work"))
    #: One-to-one with imaging.MediaAsset once it lands.
    asset_id = models.BigIntegerField(_("image"), unique=True)
    level = models.CharField(_("level"), max_length=16, choices=CloakLevel.choices)
    generation = models.PositiveIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    backend = models.CharField(_("backend"), max_length=100, blank=True)
    #: The lowest SSIM and PSNR over the asset's cloaked variants (the worst is what shows).
    ssim = models.FloatField(_("SSIM"), null=True, blank=True)
    psnr = models.FloatField(_("PSNR (dB)"), null=True, blank=True)
    #: Per variant: SSIM, PSNR, L-infinity, steps, time, feature shift; or the kept width.
    details = models.JSONField(default=dict, blank=True)
    error = models.CharField(_("reason"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = CloakJobQuerySet.as_manager()

    class Meta:
        app_label = "protection"
        verbose_name = _("cloak job")
        verbose_name_plural = _("cloak jobs")
        indexes = [
            models.Index(fields=["owner", "work_id"], name="protection_cloak_work"),
            models.Index(fields=["status", "started_at"], name="protection_cloak_status"),
        ]

    def __str__(self) -> str:
        return f"cloak {self.level} of asset {self.asset_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
