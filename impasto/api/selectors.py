"""Reads for the API: token look-up. Account reads live in impasto.accounts.selectors."""

from __future__ import annotations

import hmac
import re
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.api.models import (
    KEY_LENGTH,
    SECRET_LENGTH,
    TOKEN_PREFIX,
    AccessToken,
    token_digest,
)
from impasto.core.statements import ModelStatement, StatementCache, text_slot

TOKEN_RE = re.compile(
    rf"^{re.escape(TOKEN_PREFIX)}(?P<key>[A-Za-z0-9]{{{KEY_LENGTH}}})_[A-Za-z0-9]{{{SECRET_LENGTH}}}$"
)


class TokenRefused(Exception):
    """The presented token cannot be used; ``str()`` says why, for the 401 body."""


def token_list(*, user: User) -> QuerySet[AccessToken]:
    """``user``'s tokens that are not revoked, newest first (expired ones included)."""
    return AccessToken.objects.filter(user=user).unrevoked().order_by("-id")


_KEY = text_slot(0)
_TOKENS: StatementCache[ModelStatement] = StatementCache(maxsize=4)  # one per database


def token_authenticate(*, raw: str, now: datetime) -> AccessToken:
    """The token ``raw`` names, with its user loaded, or ``TokenRefused``.

    The row is found by its public key; the digest is then compared in constant time, so
    response timing says nothing about how much of a guessed secret was right. Why a token is
    refused (expired, revoked, account closed) is only said once the secret has matched.
    """
    match = TOKEN_RE.fullmatch(raw)
    if match is None:
        raise TokenRefused(_("This access token is not valid."))
    db = AccessToken.objects.db
    kept = _TOKENS.get(
        db,
        lambda: ModelStatement.of(
            AccessToken.objects.select_related("user").filter(key=_KEY).order_by("pk")[:1]
        ),
    )
    # Read on every API call: compiled once per process (a unique-key lookup, prepared).
    found = kept.instances({_KEY: match.group("key")}, db, prepare=True)
    token = found[0] if found else None
    expected = token.digest if token is not None else "0" * 64
    if not hmac.compare_digest(expected, token_digest(raw)) or token is None:
        raise TokenRefused(_("This access token is not valid."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This access token has been revoked."))
    if token.is_expired(now=now):
        raise TokenRefused(_("This access token has expired."))
    if not token.user.is_public:
        raise TokenRefused(_("This account cannot use the API."))
    return token
