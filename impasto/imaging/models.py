"""Media assets (one per upload) and their display variants."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField, TimestampedModel
from impasto.protection.cloaking.levels import CloakLevel


class Purpose(models.TextChoices):
    """What an upload is for: decides the crops and widths of its variants."""

    ARTWORK = "artwork", _("Artwork")
    POST = "post", _("Post image")
    AVATAR = "avatar", _("Avatar")
    BANNER = "banner", _("Banner")


class SourceType(models.TextChoices):
    """The artist's own declaration of how the work was made (IPTC digital source type).

    Only human-made origins are offered: generated images are not welcome on Impasto.
    """

    DIGITAL_CREATION = "digitalCreation", _("Made digitally by me (painting, drawing, 3D)")
    DIGITAL_CAPTURE = "digitalCapture", _("A photograph or scan I took")
    HUMAN_EDITS = "humanEdits", _("A capture I edited by hand")
    COMPOSITE = "composite", _("A composite of my own material")


class MediaAssetQuerySet(models.QuerySet["MediaAsset"]):
    def ready(self) -> MediaAssetQuerySet:
        return self.filter(status=MediaAsset.Status.READY)

    def stuck(self, *, before: object) -> MediaAssetQuerySet:
        """Assets still processing whose last attempt started before ``before``."""
        return self.filter(status=MediaAsset.Status.PROCESSING).filter(
            models.Q(processing_started_at__lt=before)
            | models.Q(processing_started_at__isnull=True, created_at__lt=before)
        )


class MediaAsset(TimestampedModel):
    """One uploaded image: its private original, what we learnt about it, and its state."""

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        HELD = "held", _("Held for review")
        FAILED = "failed", _("Failed")

    # The only moves the pipeline may make (impasto.core.states.transition enforces them).
    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PROCESSING: {Status.READY, Status.HELD, Status.FAILED, Status.PROCESSING},
        Status.READY: {Status.HELD, Status.PROCESSING},
        Status.HELD: {Status.READY, Status.PROCESSING},
        Status.FAILED: {Status.PROCESSING},
    }

    id = SnowflakeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_assets"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.ARTWORK)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROCESSING, db_index=True
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    alt_text = models.CharField(_("alt text"), max_length=1500, blank=True)
    source_type = models.CharField(
        max_length=32, choices=SourceType.choices, default=SourceType.DIGITAL_CREATION
    )
    # A client's retry of the same upload carries the same key and gets the same asset.
    idempotency_key = models.CharField(max_length=128, blank=True)

    # Cloaking (docs/cloaking.md): the artist's level for the display variants, applied in the
    # background once they exist; or the artist's own cloak, whose pixels the pipeline keeps.
    cloak_level = models.CharField(
        _("cloak"), max_length=16, choices=CloakLevel.choices, default=CloakLevel.OFF
    )
    self_cloaked = models.BooleanField(_("already cloaked by the artist"), default=False)

    # The original, untouched, in the "private" storage (never given a URL).
    original_key = models.CharField(max_length=255)
    original_sha256 = models.CharField(max_length=64)
    original_bytes = models.PositiveBigIntegerField()
    source_format = models.CharField(max_length=8)  # jpeg, png, gif, webp, avif, heic
    width = models.PositiveIntegerField()  # after orientation
    height = models.PositiveIntegerField()
    frames = models.PositiveIntegerField(default=1)

    # What processing learnt.
    blurhash = models.CharField(max_length=64, blank=True)
    dominant_color = models.CharField(max_length=7, blank=True)  # "#rrggbb"
    phash = models.CharField(max_length=16, blank=True, db_index=True)
    pdq = models.CharField(max_length=64, blank=True)
    pdq_quality = models.PositiveSmallIntegerField(null=True, blank=True)

    # Reliability bookkeeping: attempts are counted before work starts.
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = MediaAssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("media asset")
        verbose_name_plural = _("media assets")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="imaging_asset_idempotency_unique",
            )
        ]

    def __str__(self) -> str:
        return f"MediaAsset {self.pk} ({self.status})"

    @property
    def animated(self) -> bool:
        return self.frames > 1

    @property
    def aspect_height(self) -> float:
        return self.height / self.width if self.width else 1.0


class MediaVariant(models.Model):
    """One display rendition of an asset, stored in the public storage under its content hash."""

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    class Kind(models.TextChoices):
        DISPLAY = "display", _("Display")
        POSTER = "poster", _("Still poster")

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="variants")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DISPLAY)
    format = models.CharField(max_length=8, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    animated = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    key = models.CharField(max_length=255)  # name in the public ("default") storage
    bytes = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "kind", "format", "width"], name="imaging_variant_unique"
            )
        ]
        ordering = ["width"]

    def __str__(self) -> str:
        return f"{self.format} {self.width}w of {self.asset_id}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


class BlobPurge(models.Model):
    """A stored file to delete now that the rows naming it are gone: the second phase of
    deleting assets (``services.assets_delete``). Written in the deleting transaction, so a
    file is never deleted while a row still names it, and a purge lost to a crash is found
    again by the sweep (``services.blobs_purge``)."""

    class Storage(models.TextChoices):
        PRIVATE = "private", "private"  # originals
        PUBLIC = "default", "default"  # display variants

    storage = models.CharField(max_length=16, choices=Storage.choices)
    key = models.CharField(max_length=255)
    # A variant's content hash: the same file may be named by another variant (indexed there).
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)  # failed deletes: tried last

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["storage", "key"], name="imaging_blob_purge_unique")
        ]

    def __str__(self) -> str:
        return f"purge {self.storage}:{self.key}"


CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


class OwnerWatermark(models.Model):
    """An artist's visible watermark, drawn on their display variants when enabled."""

    class Position(models.TextChoices):
        BOTTOM_RIGHT = "bottom-right", _("Bottom right")
        BOTTOM_LEFT = "bottom-left", _("Bottom left")
        TOP_RIGHT = "top-right", _("Top right")
        TOP_LEFT = "top-left", _("Top left")
        CENTRE = "centre", _("Centre")

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="visible_watermark",
    )
    enabled = models.BooleanField(default=False)
    text = models.CharField(_("text"), max_length=80, blank=True)
    position = models.CharField(
        max_length=16, choices=Position.choices, default=Position.BOTTOM_RIGHT
    )
    opacity = models.PositiveSmallIntegerField(_("opacity (%)"), default=35)

    def __str__(self) -> str:
        return f"Visible watermark of {self.owner_id}"
