"""Images attached to posts: kept apart until the image pipeline lands.

TODO(lead, when impasto.imaging is merged): replace ``asset_id`` below with
``asset = models.ForeignKey("imaging.Asset", on_delete=models.PROTECT, related_name="+")``
(same column name, so a migration with ``SeparateDatabaseAndState`` or a fresh ``AddField``
on an empty table both work; the table is empty until then because the service refuses every
asset), and register the real ownership check in ``impasto.social.assets`` (the asset must
belong to the post's author and be ``ready``). Nothing else in social changes.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField

MAX_ATTACHMENTS = 10
ALT_TEXT_MAX_LENGTH = 1500


class PostAttachment(models.Model):
    id = SnowflakeField()
    post = models.ForeignKey("social.Post", on_delete=models.CASCADE, related_name="attachments")
    # Placeholder for the foreign key to imaging.Asset (see the module docstring).
    asset_id = models.BigIntegerField()
    position = models.PositiveSmallIntegerField()
    alt_text = models.TextField(
        _("alt text"),
        blank=True,
        max_length=ALT_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(ALT_TEXT_MAX_LENGTH)],
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "position"], name="social_attachment_position_unique"
            ),
            models.UniqueConstraint(fields=["post", "asset_id"], name="social_attachment_once"),
        ]
        indexes = [models.Index(fields=["asset_id"], name="social_attachment_asset")]

    def __str__(self) -> str:
        return f"Asset {self.asset_id} on post {self.post_id}"
