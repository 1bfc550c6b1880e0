"""Moderation cases, reports, appeals, notices to people, and the append-only audit log.

A case is about one *target*, named ``(target_type, target_id)`` and resolved through the
registry in :mod:`impasto.moderation.targets` (uploads, posts and profiles now; projects and
comments register the same way). At most one case per target is open: reports and detection
findings on the same thing merge into it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField, TimestampedModel

NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


class ReportReason(models.TextChoices):
    AI = "ai", _("AI-generated")
    STOLEN = "stolen", _("Stolen art")
    HARASSMENT = "harassment", _("Harassment")
    SPAM = "spam", _("Spam")
    MATURE = "mature", _("Mature content not marked")
    OTHER = "other", _("Other")


class Decision(models.TextChoices):
    """What a moderator (or the artist, for a withdrawal) decided; the case closes with it."""

    CLEARED = "cleared", _("Cleared")
    REMOVED = "removed", _("Removed")
    LABELLED = "labelled", _("Labelled as mature")
    WARNED = "warned", _("Warning")
    SUSPENDED = "suspended", _("Account suspended")
    BANNED = "banned", _("Account banned")
    WITHDRAWN = "withdrawn", _("Withdrawn by the artist")
    RESTORED = "restored", _("Restored")


# The decisions a person may appeal (once per case).
APPEALABLE = (Decision.REMOVED, Decision.SUSPENDED, Decision.BANNED)
SANCTIONS = (Decision.SUSPENDED, Decision.BANNED)


class RemovalCategory(models.TextChoices):
    """Why a work was removed: AI and stolen removals feed the perceptual-hash blocklist."""

    AI = "ai", _("AI-generated")
    STOLEN = "stolen", _("Stolen art")
    OTHER = "other", _("Another rule")


class Case(TimestampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        DETECTION = "detection", _("Detection")
        REPORT = "report", _("Reports")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.CLOSED},  # a restore after an appeal rewrites the decision
    }

    id = SnowflakeField()
    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    # The person whose work or account this is (the artist told of every step).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_cases"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=12, choices=Source.choices)
    # The work is kept from view until a moderator decides (strong detection evidence).
    held = models.BooleanField(default=False)
    detection = models.JSONField(default=dict, blank=True)  # ScanResult.as_dict()
    reports_count = models.PositiveIntegerField(default=0)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    artist_note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)

    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    removal_category = models.CharField(max_length=8, choices=RemovalCategory.choices, blank=True)
    decision_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            # Reports and findings about the same thing merge into the one open case.
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=Q(status="open"),
                name="moderation_case_one_open_per_target",
            ),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="moderation_case_target"),
            models.Index(fields=["status", "held", "id"], name="moderation_case_queue"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} on {self.target_type} {self.target_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Report(models.Model):
    """One person's report of a target; a second report by the same person updates it."""

    id = SnowflakeField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.reason}) on case {self.case_id}"


class Appeal(models.Model):
    """The artist's one appeal of a decision, decided by another moderator."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Upheld: the decision was reversed")
        DENIED = "denied", _("Denied: the decision stands")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.OPEN: {Status.UPHELD, Status.DENIED},
    }

    id = SnowflakeField()
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    statement = models.TextField(_("statement"), max_length=NOTE_MAX_LENGTH)
    files = models.ManyToManyField("imaging.MediaAsset", blank=True, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_appeal_decisions",
    )
    decision_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appeal {self.pk} of case {self.case_id} ({self.status})"


class Notice(models.Model):
    """A message from the moderators to one person (the artist, a reporter)."""

    id = SnowflakeField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "id"], name="moderation_notice_recipient")]

    def __str__(self) -> str:
        return f"Notice {self.pk} to {self.recipient_id}"


class AccountSanction(models.Model):
    """A suspension (with an end) or a ban of an account, as decided on a case."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    id = SnowflakeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_sanctions"
    )
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    until = models.DateTimeField(null=True, blank=True)  # None: a ban, or until lifted
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"


class MatureLabel(models.Model):
    """A moderator's "mature" label on a target (apps show it behind a warning)."""

    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="moderation_mature_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Mature: {self.target_type} {self.target_id}"


class AppealFile(models.Model):
    """Marks an upload as an appeal's process file: private to its artist and the moderators.

    Written before the upload's processing task runs, so screening skips it."""

    asset = models.OneToOneField(
        "imaging.MediaAsset", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Appeal file {self.asset_id}"


class ActionLog(models.Model):
    """One line of the audit log: who did what to which target, and the reason given.

    Append-only, enforced by the database (triggers refuse UPDATE and DELETE; migration
    0002). It holds plain ids and a handle snapshot rather than foreign keys, so that deleting
    an account never has to touch a row here.
    """

    class Kind(models.TextChoices):
        HOLD = "hold", _("Held by detection")
        FLAG = "flag", _("Sent to review by detection")
        REPORT = "report", _("Reported")
        REVIEW_REQUEST = "review_request", _("Review requested by the artist")
        WITHDRAW = "withdraw", _("Withdrawn by the artist")
        CLEAR = "clear", _("Cleared")
        REMOVE = "remove", _("Removed")
        LABEL_MATURE = "label_mature", _("Labelled as mature")
        WARN = "warn", _("Warned")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")
        RESTORE = "restore", _("Restored")
        APPEAL = "appeal", _("Appealed")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
        APPEAL_DENIED = "appeal_denied", _("Appeal denied")
        LIFT = "lift", _("Suspension or ban lifted")

    id = SnowflakeField()
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    case_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_id_ref = models.BigIntegerField(null=True, blank=True)  # None: the system
    actor_handle = models.CharField(max_length=64, blank=True)
    subject_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(default=0)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor_handle or 'system'} on case {self.case_id_ref}"
