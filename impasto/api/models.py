"""Personal access tokens: how apps and scripts authenticate to the JSON API.

A token reads ``imp_<key>_<secret>``. The key is a public identifier (it finds the row and is
shown in the settings page so a person can tell tokens apart); the secret is 40 random
base62 characters (238 bits) and is never stored: the row keeps the SHA-256 digest of the
whole token. A fast hash is the right tool here, unlike for passwords: the secret is random
and long, so there is nothing to guess, and the API checks a token on every request.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField

TOKEN_PREFIX = "imp_"  # noqa: S105 - a public marker for secret scanners, not a secret
KEY_LENGTH = 12
SECRET_LENGTH = 40


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def unrevoked(self) -> AccessTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def usable(self, *, now: datetime) -> AccessTokenQuerySet:
        """Tokens that would be accepted at ``now`` (the account is checked separately)."""
        return self.unrevoked().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    id = SnowflakeField()
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=64)
    key = models.CharField(max_length=KEY_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("access"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_revoked")]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="api_token_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint})"

    @property
    def hint(self) -> str:
        """What the settings page shows: the public part, never the secret."""
        return f"{TOKEN_PREFIX}{self.key}_…"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def is_expired(self, *, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
