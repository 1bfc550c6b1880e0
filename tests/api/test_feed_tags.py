"""Following and unfollowing tags through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from impasto.api.models import AccessToken
from impasto.api.services import token_create
from impasto.feeds.selectors import followed_tags_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_tag_is_followed_then_unfollowed_with_a_write_token() -> None:
    alice = UserFactory.create()
    _, raw = token_create(user=alice, name="phone", scope=AccessToken.Scope.WRITE)
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()

    assert client.post("/api/v1/feeds/tags/Café", headers=headers).status_code in (200, 201)
    assert [tag.name for tag in followed_tags_of(alice)] == ["cafe"]

    gone = client.delete("/api/v1/feeds/tags/cafe", headers=headers)
    assert gone.status_code == 204
    assert gone.content == b""
    assert list(followed_tags_of(alice)) == []
    assert client.get("/api/v1/feeds/tags", headers=headers).json() == []

    assert client.delete("/api/v1/feeds/tags/nosuchtag", headers=headers).status_code in (204, 404)
    assert client.delete("/api/v1/feeds/tags/cafe").status_code == 401
