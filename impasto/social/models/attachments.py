"""Images attached to posts: each one an ``imaging.MediaAsset`` (purpose ``post``) of the author's.

A post carries up to ten, in order. Every image is described: either ``alt_text`` says what it
shows, or the author marks it ``decorative`` (it adds nothing the text does not say; screen
readers skip it, ``alt=""``). An image with neither is refused by the service, so "forgot to
describe it" and "nothing to describe" are told apart.
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
    # Removing an asset (moderation, the owner's account erased) removes it from the post.
    asset = models.ForeignKey(
        "imaging.MediaAsset", on_delete=models.CASCADE, related_name="post_attachments"
    )
    position = models.PositiveSmallIntegerField()
    alt_text = models.TextField(
        _("alt text"),
        blank=True,
        max_length=ALT_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(ALT_TEXT_MAX_LENGTH)],
    )
    decorative = models.BooleanField(_("decorative"), default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "position"], name="social_attachment_position_unique"
            ),
            models.UniqueConstraint(fields=["post", "asset"], name="social_attachment_once"),
        ]

    def __str__(self) -> str:
        return f"Asset {self.asset_id} on post {self.post_id}"

    @property
    def alt(self) -> str:
        """What the ``alt`` attribute says: empty for a decorative image."""
        return "" if self.decorative else self.alt_text
