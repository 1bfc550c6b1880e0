"""The tokens settings page: /settings/tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from impasto.accounts.models import User
from impasto.api.models import AccessToken, token_digest
from impasto.api.selectors import TOKEN_RE
from impasto.api.services import token_create
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

PAGE = "/settings/tokens"
HTMX = {"HX-Request": "true"}


def create(client: Client, headers: dict[str, str] | None = None, **fields: Any):
    data = {"name": "Phone app", "scope": "read", "expires_in": "90", **fields}
    return client.post(PAGE, data, headers=headers or {})


def secret_in(html: str) -> str:
    match = re.search(r'value="(imp_[A-Za-z0-9_]+)"', html)
    assert match, "the page shows no token"
    return match.group(1)


def test_tokens_page_needs_an_account(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert create(client).status_code == 302
    assert not AccessToken.objects.exists()


def test_tokens_page_create_shows_the_secret_once(user_client: Client, user: User) -> None:
    response = create(user_client, name="Phone app", scope="write", expires_in="30")
    assert response.status_code == 200
    html = response.content.decode()
    raw = secret_in(html)
    assert TOKEN_RE.fullmatch(raw)
    assert "it will not be shown again" in html
    token = AccessToken.objects.get(user=user)
    assert (token.name, token.scope) == ("Phone app", "write")
    assert token.expires_at is not None
    assert token.digest == token_digest(raw)
    # Nothing may keep the page: it carries a secret.
    assert "no-store" in response["Cache-Control"]

    listing = user_client.get(PAGE).content.decode()
    assert raw not in listing
    assert raw.rsplit("_", 1)[1] not in listing
    assert token.hint in listing
    assert "Phone app" in listing

    assert user_client.get("/api/v1/me", headers=bearer(raw)).status_code == 200


def test_tokens_page_create_through_htmx_answers_the_section_only(
    user_client: Client, user: User
) -> None:
    response = create(user_client, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="tokens"')
    assert TOKEN_RE.fullmatch(secret_in(html))
    assert AccessToken.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "n" * 65}, "Ensure this value has at most 64 characters"),
        ({"name": "nul\x00"}, "Null characters are not allowed."),
        ({"scope": "admin"}, "Select a valid choice."),
        ({"expires_in": "-1"}, "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("headers", [None, HTMX], ids=["page", "htmx"])
def test_tokens_page_refuses_bad_input_and_stores_nothing(
    user_client: Client, fields: dict[str, str], message: str, headers
) -> None:
    response = create(user_client, headers=headers, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'aria-invalid="true"' in html or "errorlist" in html
    assert "imp_" not in html.replace("imp_…", "")
    assert not AccessToken.objects.exists()


def test_tokens_page_refuses_a_token_past_the_cap(user_client: Client, user: User) -> None:
    from impasto.api.services import MAX_TOKENS_PER_USER

    AccessToken.objects.bulk_create(
        AccessToken(user=user, name=f"t{n}", key=f"key{n:09d}", digest="0" * 64)
        for n in range(MAX_TOKENS_PER_USER)
    )
    html = create(user_client).content.decode()
    assert "revoke one you no longer use first" in html
    assert AccessToken.objects.filter(user=user).count() == MAX_TOKENS_PER_USER


def test_tokens_page_lists_only_your_unrevoked_tokens(
    user_client: Client, user: User, other_user: User
) -> None:
    token_create(user=user, name="Kept")
    revoked, _ = token_create(user=user, name="Gone")
    AccessToken.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00:00Z")
    token_create(user=other_user, name="Not yours")
    html = user_client.get(PAGE).content.decode()
    assert "Kept" in html
    assert "Gone" not in html
    assert "Not yours" not in html


def test_tokens_page_query_count_does_not_grow_with_the_tokens(
    user_client: Client, user: User, django_assert_num_queries
) -> None:
    for n in range(3):
        token_create(user=user, name=f"App {n}")
    # session, user, tokens; then the header's unread badges (social: the reader's relations,
    # and the three counts in one query)
    with django_assert_num_queries(5):
        user_client.get(PAGE)
    for n in range(3, 12):
        token_create(user=user, name=f"App {n}")
    with django_assert_num_queries(5):
        assert user_client.get(PAGE).content.decode().count('class="token-item card"') == 12


def test_tokens_page_revoke_stops_the_token(user_client: Client, user: User) -> None:
    token, raw = token_create(user=user, name="Old laptop")
    response = user_client.post(f"{PAGE}/{token.pk}/revoke")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = user_client.get(PAGE).content.decode()
    assert "“Old laptop” is revoked." in page
    assert 'class="token-item card"' not in page
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_tokens_page_revoke_through_htmx_answers_the_section(
    user_client: Client, user: User
) -> None:
    token, _ = token_create(user=user, name="Old laptop")
    response = user_client.post(f"{PAGE}/{token.pk}/revoke", headers=HTMX)
    assert response.status_code == 200
    assert "You have no tokens yet." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_revoke_of_another_users_token_is_not_found(
    user_client: Client, other_user: User
) -> None:
    theirs, raw = token_create(user=other_user, name="Theirs")
    assert user_client.post(f"{PAGE}/{theirs.pk}/revoke").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200


@pytest.mark.parametrize("token_id", ["1", "99999999999999999999999"])
def test_tokens_page_revoke_of_a_missing_token_is_not_found(
    user_client: Client, token_id: str
) -> None:
    assert user_client.post(f"{PAGE}/{token_id}/revoke").status_code == 404


def test_tokens_page_revoke_needs_post(user_client: Client, user: User) -> None:
    token, _ = token_create(user=user, name="Kept")
    assert user_client.get(f"{PAGE}/{token.pk}/revoke").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_revoke_needs_the_csrf_token(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token, _ = token_create(user=user, name="Kept")
    assert client.post(f"{PAGE}/{token.pk}/revoke").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
