"""The API's orjson renderer writes what ninja's own JSON renderer wrote (impasto.api.rendering)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils.translation import gettext_lazy
from ninja.renderers import JSONRenderer as NinjaRenderer

from impasto.api.rendering import JSONRenderer
from impasto.api.services import token_create
from impasto.api.v1 import api
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, repost_create
from tests.factories import UserFactory
from tests.feeds.conftest import attach


class Shade(models.TextChoices):
    UMBER = "umber", "Umber"


VALUES: dict[Any, Any] = {
    "aware": datetime(2026, 11, 21, 21, 0, 0, 123456, tzinfo=UTC),
    "naive": datetime(2026, 11, 21, 21, 0, 0),
    "day": date(2024, 2, 29),
    "clock": time(9, 30, 15, 250000),
    "span": timedelta(days=1, seconds=5),
    "price": Decimal("12.50"),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Report"),
    "shade": Shade.UMBER,
    "text": "l'atelier « naïf » ✎ </script>",
    7: ["int keys become text", 1, 2.5, True, None],
    "nested": [{"id": 2**62, "empty": {}, "list": []}],
}


def _both(data: Any) -> tuple[bytes, str]:
    new = JSONRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    old = NinjaRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    return new, old


def test_values_decode_to_what_ninjas_renderer_wrote() -> None:
    new, old = _both(VALUES)
    assert json.loads(new) == json.loads(old)
    decoded = json.loads(new)
    assert decoded["aware"] == "2026-11-21T21:00:00.123Z"  # Django's dates: milliseconds, Z
    assert decoded["7"][0] == "int keys become text"
    assert decoded["price"] == "12.50"


@pytest.mark.django_db
def test_a_home_timeline_answer_is_the_same_as_with_ninjas_renderer(monkeypatch) -> None:
    reader, artist = UserFactory.create(handle="reader"), UserFactory.create(handle="artist")
    follow_create(follower=reader, followee=artist)
    post = post_create(author=artist, body="Morning study, #ink")
    attach(post, alt_text="An ink study of a heron", asset_id=4242)
    repost_create(user=reader, post_id=post.pk)
    _, raw = token_create(user=reader, name="phone")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    new = client.get("/api/v1/feeds/following")
    monkeypatch.setattr(api, "renderer", NinjaRenderer())
    old = client.get("/api/v1/feeds/following")

    assert new.status_code == old.status_code == 200
    assert new["Content-Type"] == old["Content-Type"]
    assert new.json() == old.json()
    assert len(new.json()["items"]) == 2  # the post and the reader's repost of it
    assert len(new.content) < len(old.content)  # the same answer, without the spaces
