"""The reader's feed preferences: one row per person, created on first change.

A missing row means the defaults (everything shown, mature work blurred), so a reader who never
opened the settings costs no write. Lists are stored as JSON: they are short (capped by the
form and the service) and always read whole with the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MUTED_WORDS = 50
MAX_MUTED_TAGS = 50
MUTED_WORD_MAX_LENGTH = 100


class PostKind(models.TextChoices):
    ALL = "all", _("Works and posts")
    WORKS = "works", _("Works only")
    POSTS = "posts", _("Posts only")


class MatureMode(models.TextChoices):
    SHOW = "show", _("Show")
    BLUR = "blur", _("Blur until I open it")
    HIDE = "hide", _("Hide")


class FeedPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="feed_preferences",
    )
    kind = models.CharField(_("show"), max_length=8, choices=PostKind.choices, default="all")
    hide_reposts = models.BooleanField(_("hide reposts"), default=False)
    mature = models.CharField(
        _("mature work"), max_length=8, choices=MatureMode.choices, default="blur"
    )
    # Folded words (casefold, NFC); matched in the text, the content warning, image
    # descriptions and tag names.
    muted_words = models.JSONField(_("muted words"), default=list, blank=True)
    # Folded tag names (impasto.social.text.normalize_tag), without "#".
    muted_tags = models.JSONField(_("muted tags"), default=list, blank=True)
    # impasto.core.vocab.Discipline values; empty means every field.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    # For You: 0 is only the reader's network, 100 only the wider site.
    network_mix = models.PositiveSmallIntegerField(_("network or wider site"), default=30)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feed preferences")
        verbose_name_plural = _("feed preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PostKind.values), name="feeds_prefs_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(mature__in=MatureMode.values), name="feeds_prefs_mature_valid"
            ),
            models.CheckConstraint(
                condition=Q(network_mix__lte=100), name="feeds_prefs_network_mix_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Feed preferences of {self.user_id}"


class FollowedTag(models.Model):
    """A tag the reader follows: its posts feed For You ("Because you follow #ink")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_tags"
    )
    tag = models.ForeignKey("social.Tag", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="feeds_followedtag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows tag {self.tag_id}"
