from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from impasto.accounts.models import User
from impasto.api.models import AccessToken
from impasto.api.services import token_create


@dataclass
class Caller:
    """One way of calling the API: who, and with which credentials."""

    name: str
    user: User | None
    headers: dict[str, str]
    client: Client

    def request(self, method: str, path: str, data: Any = None) -> Any:
        call = getattr(self.client, method.lower())
        if data is None:
            return call(path, headers=self.headers)
        return call(path, data=data, content_type="application/json", headers=self.headers)


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def make_token(db: Any) -> Callable[..., tuple[AccessToken, str]]:
    def make(
        user: User, scope: str = AccessToken.Scope.READ, name: str = "Test app"
    ) -> tuple[AccessToken, str]:
        return token_create(user=user, name=name, scope=scope)

    return make


def _revoke(token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def _expire(token: AccessToken) -> None:
    # The service refuses a past expiry; an expired token is one whose date has since passed.
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


CALLERS = [
    "anonymous",
    "session",
    "read_token",
    "write_token",
    "revoked_token",
    "expired_token",
    "deleting_account_token",
    "inactive_account_token",
    "malformed_token",
]


@pytest.fixture
def caller_for(
    user: User, make_token: Callable[..., tuple[AccessToken, str]]
) -> Callable[[str], Caller]:
    """Build one caller, always acting as ``user`` (the owner) when it has credentials."""

    def build(kind: str) -> Caller:
        client = Client()
        if kind == "anonymous":
            return Caller(kind, None, {}, client)
        if kind == "session":
            client.force_login(user)
            return Caller(kind, user, {}, client)
        if kind == "malformed_token":
            return Caller(kind, user, bearer("imp_not-a-token"), client)
        scope = AccessToken.Scope.WRITE if kind != "read_token" else AccessToken.Scope.READ
        token, raw = make_token(user, scope=scope)
        if kind == "revoked_token":
            _revoke(token)
        elif kind == "expired_token":
            _expire(token)
        elif kind == "deleting_account_token":
            User.objects.filter(pk=user.pk).update(deletion_scheduled_at=timezone.now())
        elif kind == "inactive_account_token":
            User.objects.filter(pk=user.pk).update(is_active=False)
        return Caller(kind, user, bearer(raw), client)

    return build
