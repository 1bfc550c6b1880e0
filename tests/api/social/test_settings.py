"""Social settings through the API: read, change some, refuse bad values."""

from __future__ import annotations

from typing import Any

import pytest

from impasto.social.models import Follow, SocialSettings
from impasto.social.services.graph import follow_create, social_settings_update
from tests.api.social.conftest import assert_error, fields

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "locked": False,
    "message_policy": "everyone",
    "allow_quotes": True,
    "digest_daily": False,
}


def test_settings_start_with_the_defaults_and_change_only_what_is_sent(api, alice) -> None:
    caller = api(alice)
    assert caller.get("/api/v1/me/social-settings").json() == DEFAULTS
    assert SocialSettings.objects.count() == 0  # reading stores nothing
    changed = caller.patch(
        "/api/v1/me/social-settings", {"message_policy": "following", "digest_daily": True}
    )
    assert changed.json() == {**DEFAULTS, "message_policy": "following", "digest_daily": True}
    again = caller.patch("/api/v1/me/social-settings", {"allow_quotes": False})
    assert again.json() == {
        **DEFAULTS,
        "message_policy": "following",
        "digest_daily": True,
        "allow_quotes": False,
    }


def test_unlocking_accepts_the_waiting_requests(api, alice, bob) -> None:
    social_settings_update(user=alice, locked=True)
    follow_create(follower=bob, followee=alice)
    assert (
        api(alice).patch("/api/v1/me/social-settings", {"locked": False}).json()["locked"] is False
    )
    assert Follow.objects.get().state == Follow.State.ACCEPTED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"locked": "yes"}, "locked"),
        ({"locked": 1}, "locked"),
        ({"message_policy": "friends"}, "message_policy"),
        ({"digest_daily": None, "theme": "dark"}, "theme"),
    ],
)
def test_settings_refuse_bad_values_and_store_nothing(
    api, alice, payload: dict[str, Any], field: str
) -> None:
    response = api(alice).patch("/api/v1/me/social-settings", {"allow_quotes": False, **payload})
    assert field in fields(response)
    assert SocialSettings.objects.count() == 0


def test_settings_need_an_account_and_a_write_token(api, alice) -> None:
    assert_error(api(None).get("/api/v1/me/social-settings"), 401)
    read_only = api(alice, scope="read")
    assert read_only.get("/api/v1/me/social-settings").status_code == 200
    assert_error(read_only.patch("/api/v1/me/social-settings", {"locked": True}), 403)
    assert SocialSettings.objects.count() == 0
