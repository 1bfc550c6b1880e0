"""Direct messages: a conversation between two people, each with their own inbox state."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField

MESSAGE_MAX_LENGTH = 5000


class Conversation(models.Model):
    """The one conversation between two people (stored with the smaller user id first)."""

    id = SnowflakeField()
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="social_dm_pair"),
            models.CheckConstraint(
                condition=Q(user_low__lt=F("user_high")), name="social_dm_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id


class ConversationMember(models.Model):
    """One person's side of a conversation: inbox or requests, and how far they have read."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Inbox")
        REQUEST = "request", _("Message request")
        DECLINED = "declined", _("Declined")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation_memberships",
        db_index=False,  # covered by the inbox index
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # Both are message ids (snowflakes); last_message_id copies the conversation's so that an
    # inbox pages on one index: WHERE user = ? AND status = ? AND last_message_id < cursor.
    last_message_id = models.BigIntegerField(default=0)
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="social_dm_member"),
        ]
        indexes = [
            models.Index(fields=["user", "status", "last_message_id"], name="social_dm_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id} ({self.status})"


class Message(models.Model):
    id = SnowflakeField()
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,  # covered by (conversation, id)
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    body = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"], name="social_message_conv_id")]

    def __str__(self) -> str:
        return f"Message {self.pk}"
