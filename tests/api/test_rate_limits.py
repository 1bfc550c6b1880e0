"""The API's rate limit (impasto/api/throttling.py) with the real limiter, on local memory
and on the real Redis: per account (its tokens and its web session), per address otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from impasto.accounts.models import User
from impasto.protection import ratelimit
from tests.api.conftest import bearer
from tests.api.test_endpoints import assert_error_body
from tests.protection.conftest import FakeClock

pytestmark = pytest.mark.django_db

LIMITS = {
    "api": {"capacity": 3, "refill_per_second": 0.5},
    "api_anonymous": {"capacity": 2, "refill_per_second": 0.5},
}


@pytest.fixture(params=["local memory", "redis"])
def limits(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> Iterator[FakeClock]:
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    with override_settings(RATE_LIMITS={**settings.RATE_LIMITS, **LIMITS}):
        yield clock


def statuses(
    client: Client, path: str, times: int, headers: dict[str, str] | None = None
) -> list[int]:
    return [client.get(path, headers=headers or {}).status_code for _ in range(times)]


def test_an_account_spends_one_bucket_whatever_its_tokens_then_gets_429_with_retry_after(
    limits: FakeClock, client: Client, user: User, other_user: User, make_token: Callable[..., Any]
) -> None:
    _token, raw = make_token(user)
    _other, other_raw = make_token(user, name="Another app")
    assert statuses(client, "/api/v1/me", 2, bearer(raw)) == [200, 200]
    assert client.get("/api/v1/me", headers=bearer(other_raw)).status_code == 200
    refused = client.get("/api/v1/me", headers=bearer(raw))
    assert_error_body(refused, 429)
    assert refused["Retry-After"] == "2"  # one token every 2 s
    # A new token of the same account starts from the same bucket: no allowance to multiply.
    _new, new_raw = make_token(user, name="A fresh app")
    assert client.get("/api/v1/me", headers=bearer(new_raw)).status_code == 429
    # Another account, and visitors from the same address, have their own.
    _theirs, theirs_raw = make_token(other_user)
    assert client.get("/api/v1/me", headers=bearer(theirs_raw)).status_code == 200
    assert client.get(f"/api/v1/profiles/{user.handle}").status_code == 200
    limits.advance(2)
    assert statuses(client, "/api/v1/me", 2, bearer(raw)) == [200, 429]


def test_calls_without_a_valid_credential_share_the_address_bucket(
    limits: FakeClock, client: Client, user: User, make_token: Callable[..., Any]
) -> None:
    """Trying tokens one after another is throttled like any visitor from that address."""
    profile = f"/api/v1/profiles/{user.handle}"
    assert client.get(profile).status_code == 200
    assert client.get("/api/v1/me", headers=bearer("imp_notatoken")).status_code == 401
    assert_error_body(client.get("/api/v1/me", headers=bearer("imp_another")), 429)
    assert_error_body(client.get(profile), 429)
    from_elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert from_elsewhere.get(profile).status_code == 200
    _token, raw = make_token(user)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200


def test_a_web_session_counts_against_the_account(
    limits: FakeClock, user: User, make_token: Callable[..., Any]
) -> None:
    browser = Client()
    browser.force_login(user)
    assert statuses(browser, "/api/v1/me", 2) == [200, 200]
    again = Client(REMOTE_ADDR="198.51.100.7")  # the same account from another address
    again.force_login(user)
    assert again.get("/api/v1/me").status_code == 200
    _token, raw = make_token(user)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 429


def test_bad_tokens_from_a_signed_in_browser_count_against_the_address(
    limits: FakeClock, user: User, other_user: User
) -> None:
    """Guessing tokens from several accounts' browsers on one address is one bucket."""
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(other_user)
    assert first.get("/api/v1/me", headers=bearer("imp_guess1")).status_code == 401
    assert second.get("/api/v1/me", headers=bearer("imp_guess2")).status_code == 401
    assert_error_body(first.get("/api/v1/me", headers=bearer("imp_guess3")), 429)
    assert first.get("/api/v1/me").status_code == 200  # its own session is another bucket
