"""The blocklist of pictures already removed: matched by perceptual hash on new uploads.

Defined here, registered in the ``protection`` app (``impasto/protection/models.py`` imports
it). The moderation app does not exist yet, so the case and the asset are plain references
(strings) rather than foreign keys; the moderation flow fills them when it removes a work.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from impasto.core.models import TimestampedModel


class BlockedImageHash(TimestampedModel):
    class Reason(models.TextChoices):
        AI = "ai", _("removed as AI-generated")
        STOLEN = "stolen", _("removed as stolen")

    phash = models.CharField(_("pHash"), max_length=16)
    #: Empty when the picture is too flat for PDQ to mean anything (quality below 50).
    pdq = models.CharField(_("PDQ hash"), max_length=64, blank=True)
    pdq_quality = models.PositiveSmallIntegerField(_("PDQ quality"), default=0)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    case_ref = models.CharField(_("moderation case"), max_length=64, blank=True)
    asset_ref = models.CharField(_("removed asset"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        app_label = "protection"
        verbose_name = _("blocked picture")
        verbose_name_plural = _("blocked pictures")
        constraints = [
            # The moderation flow may add the same removal twice (a retried task): one row.
            models.UniqueConstraint(
                fields=["phash", "pdq", "reason", "asset_ref"],
                name="protection_blockedhash_unique",
            ),
        ]
        indexes = [models.Index(fields=["asset_ref"], name="protection_blockedhash_asset")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.asset_ref or self.phash}"
