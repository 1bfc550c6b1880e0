"""Per-person social settings, and the denormalised per-person counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessagePolicy(models.TextChoices):
    EVERYONE = "everyone", _("Everyone (people you don't follow go to your requests)")
    FOLLOWING = "following", _("Only people I follow")
    NOBODY = "nobody", _("Nobody")


class SocialSettings(models.Model):
    """How a person wants the network to treat them. A missing row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="social_settings",
    )
    locked = models.BooleanField(
        _("approve followers"),
        default=False,
        help_text=_("New followers wait until you accept them."),
    )
    message_policy = models.CharField(
        _("who may message me"),
        max_length=16,
        choices=MessagePolicy.choices,
        default=MessagePolicy.EVERYONE,
    )
    allow_quotes = models.BooleanField(
        _("allow quote posts"),
        default=True,
        help_text=_("Others may quote your posts in their own."),
    )
    digest_daily = models.BooleanField(
        _("daily email digest"),
        default=False,
        help_text=_("Once a day, an email with what you missed."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social settings")
        verbose_name_plural = _("social settings")

    def __str__(self) -> str:
        return f"Social settings of user {self.user_id}"


class UserCounters(models.Model):
    """Followers, following and posts, kept by the services in the same transaction as the write.

    Written only with ``F()`` increments after a write whose row count proves it happened (a
    unique insert that succeeded, a delete or conditional update that matched); see
    docs/social.md, "Counters". ``counters_recompute`` rebuilds them from the source tables.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="social_counters",
    )
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counters")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"Counters of user {self.user_id}"
