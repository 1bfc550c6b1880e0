"""Every write to personal access tokens goes through here."""

from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.api.models import (
    KEY_LENGTH,
    SECRET_LENGTH,
    TOKEN_PREFIX,
    AccessToken,
    token_digest,
)

ALPHABET = string.ascii_letters + string.digits
MAX_TOKENS_PER_USER = 50
# last_used_at is only as precise as this: a busy token writes at most once per interval.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def token_create(
    *,
    user: User,
    name: str,
    scope: str = AccessToken.Scope.READ,
    expires_at: datetime | None = None,
) -> tuple[AccessToken, str]:
    """Create a token for ``user`` and return it with its secret, which is never seen again.

    Raises ``ValidationError`` (nothing saved) for a bad name, scope or expiry.
    """
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, such as the app that will use it.")
    elif len(name) > 64 or "\x00" in name:
        errors["name"] = _("A name is at most 64 characters of text.")
    if scope not in AccessToken.Scope.values:
        errors["scope"] = _("Choose read only or read and write.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry date must be in the future.")
    if errors:
        raise ValidationError(errors)

    for _attempt in range(3):
        raw_key = _random(KEY_LENGTH)
        raw = f"{TOKEN_PREFIX}{raw_key}_{_random(SECRET_LENGTH)}"
        try:
            with transaction.atomic():
                # Lock the owner's row so two concurrent requests cannot both pass the cap.
                User.objects.select_for_update().filter(pk=user.pk).first()
                if AccessToken.objects.filter(user=user).unrevoked().count() >= MAX_TOKENS_PER_USER:
                    raise ValidationError(
                        _("You have %(count)d tokens; revoke one you no longer use first.")
                        % {"count": MAX_TOKENS_PER_USER},
                        code="too_many_tokens",
                    )
                token = AccessToken.objects.create(
                    user=user,
                    name=name,
                    key=raw_key,
                    digest=token_digest(raw),
                    scope=scope,
                    expires_at=expires_at,
                )
        except IntegrityError:  # the 1-in-2^71 key collision: draw again
            continue
        return token, raw
    raise RuntimeError("could not draw a unique token key")


def token_revoke(*, user: User, token_id: int) -> AccessToken:
    """Revoke one of ``user``'s tokens. Raises ``AccessToken.DoesNotExist`` for anyone else's.

    Revoking twice is harmless; the row stays (without its secret, which was never kept) so the
    settings page and the admin can tell a revoked token from one that never existed.
    """
    token = AccessToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db(fields=["revoked_at"])
    return token


def token_mark_used(*, token: AccessToken, now: datetime | None = None) -> bool:
    """Record that ``token`` was used, at most once per ``LAST_USED_RESOLUTION``.

    Returns whether a row was written. The condition is in the UPDATE itself, so a burst of
    concurrent requests writes once, and a request that sees a fresh value writes nothing.
    """
    now = now or timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    written = (
        AccessToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold))
        .update(last_used_at=now)
    )
    token.last_used_at = now
    return bool(written)
