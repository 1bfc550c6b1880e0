"""Personal access tokens: what is stored, how a token is recognised, what refuses it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from impasto.accounts.models import User
from impasto.api.models import AccessToken
from impasto.api.selectors import TOKEN_RE, TokenRefused, token_authenticate
from impasto.api.services import token_create, token_mark_used, token_revoke

pytestmark = pytest.mark.django_db


def test_token_create_returns_a_recognisable_high_entropy_token(user: User) -> None:
    token, raw = token_create(user=user, name="Script")
    match = TOKEN_RE.fullmatch(raw)
    assert match
    assert raw.startswith("imp_")
    assert match.group("key") == token.key
    secret = raw.rsplit("_", 1)[1]
    assert len(secret) == 40
    others = {token_create(user=user, name=f"s{n}")[1] for n in range(20)}
    assert len(others | {raw}) == 21


def test_token_the_database_never_holds_the_secret(user: User) -> None:
    token, raw = token_create(user=user, name="Script", scope="write")
    secret = raw.rsplit("_", 1)[1]
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    # Every text column of every table: neither the token nor its secret part anywhere.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            for needle in (raw, secret, secret[:20]):
                found = model._default_manager.filter(**{f"{field.name}__contains": needle})
                assert not found.exists(), f"{model.__name__}.{field.name} holds the secret"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"expires_at": "past"}, "expires_at"),
    ],
)
def test_token_create_refuses_bad_values_and_stores_nothing(
    user: User, changes: dict[str, object], field: str
) -> None:
    if changes.get("expires_at") == "past":
        changes["expires_at"] = timezone.now() - timedelta(minutes=1)
    arguments: dict[str, object] = {"name": "Script", **changes}
    with pytest.raises(ValidationError) as raised:
        token_create(user=user, **arguments)  # type: ignore[arg-type]
    assert field in raised.value.message_dict
    assert not AccessToken.objects.exists()


def test_token_authenticate_finds_the_token_and_its_owner(user: User) -> None:
    token, raw = token_create(user=user, name="Script")
    found = token_authenticate(raw=raw, now=timezone.now())
    assert found == token
    assert found.user == user


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # right key, wrong secret
        lambda raw: raw.replace("imp_", "ghp_"),
        lambda raw: raw + "x",
        lambda raw: raw[:-1],
        lambda raw: raw.lower() if raw != raw.lower() else raw.upper(),
        lambda raw: "",
        lambda raw: "imp_" + "a" * 12 + "_" + "b" * 40,  # well formed, unknown key
    ],
)
def test_token_authenticate_refuses_anything_but_the_exact_token(user: User, mangle) -> None:
    _token, raw = token_create(user=user, name="Script")
    with pytest.raises(TokenRefused, match="not valid"):
        token_authenticate(raw=mangle(raw), now=timezone.now())


def test_token_authenticate_says_why_only_once_the_secret_matched(user: User) -> None:
    token, raw = token_create(user=user, name="Script")
    token_revoke(user=user, token_id=token.pk)
    with pytest.raises(TokenRefused, match="revoked"):
        token_authenticate(raw=raw, now=timezone.now())
    wrong = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    with pytest.raises(TokenRefused, match="not valid"):
        token_authenticate(raw=wrong, now=timezone.now())


def test_token_expires_at_its_date(user: User) -> None:
    expires = timezone.now() + timedelta(days=7)
    _token, raw = token_create(user=user, name="Script", expires_at=expires)
    token_authenticate(raw=raw, now=expires - timedelta(seconds=1))
    with pytest.raises(TokenRefused, match="expired"):
        token_authenticate(raw=raw, now=expires)


def test_token_revoke_is_for_the_owner_only_and_harmless_twice(
    user: User, other_user: User
) -> None:
    token, _ = token_create(user=user, name="Script")
    with pytest.raises(AccessToken.DoesNotExist):
        token_revoke(user=other_user, token_id=token.pk)
    first = token_revoke(user=user, token_id=token.pk).revoked_at
    assert first is not None
    assert token_revoke(user=user, token_id=token.pk).revoked_at == first


def test_token_mark_used_writes_at_most_once_per_resolution(user: User) -> None:
    token, _ = token_create(user=user, name="Script")
    now = timezone.now()
    assert token_mark_used(token=token, now=now) is True
    assert token_mark_used(token=token, now=now + timedelta(minutes=1)) is False
    # A second process holding a stale copy does not write either: the UPDATE checks the row.
    stale = AccessToken.objects.get(pk=token.pk)
    stale.last_used_at = None
    assert token_mark_used(token=stale, now=now + timedelta(minutes=2)) is False
    assert token_mark_used(token=token, now=now + timedelta(minutes=6)) is True
    token.refresh_from_db()
    assert token.last_used_at == now + timedelta(minutes=6)


def test_the_kept_lookup_reads_the_row_the_orm_reads(user: User) -> None:
    """token_authenticate reads through a statement compiled once per process (impasto.core
    .statements.ModelStatement): its row, converted fields and user are the ORM's own."""
    token, raw = token_create(
        user=user, name="kept", scope="read", expires_at=timezone.now() + timedelta(days=3)
    )
    for _ in range(2):  # compiled, then kept
        found = token_authenticate(raw=raw, now=timezone.now())
        orm = AccessToken.objects.select_related("user").get(pk=token.pk)
        fields = {f.attname: getattr(orm, f.attname) for f in AccessToken._meta.concrete_fields}
        assert {name: getattr(found, name) for name in fields} == fields
        assert found.expires_at is not None
        assert found.expires_at.tzinfo is not None  # converted as the ORM converts it
        assert found.user == orm.user
        assert found.user.handle == orm.user.handle
    other, other_raw = token_create(user=user, name="other", scope="read")
    assert token_authenticate(raw=other_raw, now=timezone.now()).pk == other.pk  # key bound
