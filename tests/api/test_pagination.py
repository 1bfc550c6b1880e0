"""Keyset pagination: walk a time-ordered list without OFFSET, skipping and repeating nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.api.models import AccessToken
from impasto.api.pagination import MAX_LIMIT, keyset_page
from impasto.core.ids import snowflake
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

START_MS = 1_767_225_600_000  # 2026-01-01


def make(user: User, minute: int) -> AccessToken:
    """A row whose snowflake id says it was made ``minute`` minutes after START_MS."""
    return AccessToken.objects.create(
        id=snowflake(at_ms=START_MS + minute * 60_000),
        user=user,
        name=f"t{minute}",
        key=f"k{minute:011d}",
        digest="0" * 64,
    )


def names(page: Any) -> list[str]:
    return [item.name for item in page.items]


def test_keyset_page_walks_back_through_everything_once(user: User) -> None:
    for minute in range(7):
        make(user, minute)
    queryset = AccessToken.objects.filter(user=user)
    seen: list[str] = []
    before = None
    while True:
        page = keyset_page(queryset, before=before, limit=3)
        seen += names(page)
        if page.before is None:
            break
        before = page.before
    assert seen == [f"t{m}" for m in range(6, -1, -1)]


def test_keyset_page_is_stable_when_new_items_arrive(user: User) -> None:
    for minute in range(6):
        make(user, minute)
    queryset = AccessToken.objects.filter(user=user)
    first = keyset_page(queryset, limit=3)
    assert names(first) == ["t5", "t4", "t3"]
    make(user, 10)  # arrives while the reader looks at page 1: with OFFSET, t3 would repeat
    second = keyset_page(queryset, before=first.before, limit=3)
    assert names(second) == ["t2", "t1", "t0"]
    assert second.before is None


def test_keyset_page_after_catches_up_from_the_oldest_new_item(user: User) -> None:
    for minute in range(3):
        make(user, minute)
    queryset = AccessToken.objects.filter(user=user)
    newest = keyset_page(queryset, limit=10)
    assert newest.after == AccessToken.objects.get(name="t2").pk
    for minute in range(3, 8):
        make(user, minute)
    # Five new items, pages of two: the two just after t2 first, then onwards, none skipped.
    first = keyset_page(queryset, after=newest.after, limit=2)
    assert names(first) == ["t4", "t3"]
    second = keyset_page(queryset, after=first.after, limit=2)
    assert names(second) == ["t6", "t5"]
    third = keyset_page(queryset, after=second.after, limit=2)
    assert names(third) == ["t7"]
    nothing = keyset_page(queryset, after=third.after, limit=2)
    assert nothing.items == []
    assert nothing.after == third.after  # keep polling from the same place


def test_keyset_page_between_two_cursors(user: User) -> None:
    rows = [make(user, minute) for minute in range(6)]
    queryset = AccessToken.objects.filter(user=user)
    page = keyset_page(queryset, before=rows[4].pk, after=rows[1].pk, limit=10)
    assert names(page) == ["t3", "t2"]


def test_keyset_page_caps_the_limit_and_uses_one_query_without_offset(user: User) -> None:
    for minute in range(MAX_LIMIT + 5):
        make(user, minute)
    queryset = AccessToken.objects.filter(user=user)
    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(queryset, before=snowflake(at_ms=START_MS + 10**9), limit=10_000)
    assert len(page.items) == MAX_LIMIT
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "OFFSET" not in sql
    assert f"LIMIT {MAX_LIMIT + 1}" in sql


def test_tokens_list_pages_through_the_api_with_string_cursors(
    client: Client, user: User, make_token
) -> None:
    for minute in range(5):
        make(user, minute)
    _token, raw = make_token(user, name="Reader")
    body = client.get("/api/v1/me/tokens?limit=4", headers=bearer(raw)).json()
    assert [item["name"] for item in body["items"]] == ["Reader", "t4", "t3", "t2"]
    assert isinstance(body["before"], str)
    assert isinstance(body["items"][0]["id"], str)
    assert body["after"] == body["items"][0]["id"]
    rest = client.get(f"/api/v1/me/tokens?limit=4&before={body['before']}", headers=bearer(raw))
    assert [item["name"] for item in rest.json()["items"]] == ["t1", "t0"]
    assert rest.json()["before"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=many", "limit"),
        ("before=abc", "before"),
        ("before=-1", "before"),
        ("after=99999999999999999999", "after"),
        ("after=%D9%A1%D9%A2", "after"),  # Arabic-Indic digits: int() would take them
    ],
)
def test_tokens_list_refuses_bad_cursors_with_the_field_named(
    client: Client, user: User, make_token, query: str, field: str
) -> None:
    _token, raw = make_token(user)
    response = client.get(f"/api/v1/me/tokens?{query}", headers=bearer(raw))
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
