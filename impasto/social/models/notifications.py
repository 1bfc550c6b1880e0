"""In-app notifications (one row per event, grouped for display) and the daily digest log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField


class NotificationKind(models.TextChoices):
    FOLLOW = "follow", _("New follower")
    FOLLOW_REQUEST = "follow_request", _("Follow request")
    LIKE = "like", _("Like")
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    REPOST = "repost", _("Repost")
    QUOTE = "quote", _("Quote")


class Notification(models.Model):
    """``actor`` did ``kind`` to ``recipient``, about the target ``(target_type, target_id)``.

    The target is generic on purpose: ``"post"`` now, ``"project"`` and ``"comment"`` when art
    lands, each registered in :mod:`impasto.social.targets` with the query that says which
    targets a reader may still see. Follows have no target (``""``, 0). One row per
    (recipient, actor, kind, target), so a retried task or a like-unlike-like never doubles.
    ``group_key`` puts rows together for display ("Mira and 3 others liked your post").
    """

    id = SnowflakeField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # covered by the indexes below
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_caused"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    target_type = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(default=0)
    group_key = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "actor", "kind", "target_type", "target_id"],
                name="social_notification_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "group_key", "id"], name="social_notif_groups"),
            # The unread badge on every page counts only these rows.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(read_at__isnull=True),
                name="social_notif_unread",
            ),
            models.Index(fields=["target_type", "target_id"], name="social_notif_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} from {self.actor_id}"


class DigestLog(models.Model):
    """One row per person per day: the daily digest is sent at most once (idempotent task)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="social_digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.user_id} for {self.day}"
