from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from impasto.accounts.models import Profile, User
from impasto.accounts.services import profile_update
from impasto.core.vocab import Discipline

pytestmark = pytest.mark.django_db


def test_profile_update_changes_only_what_is_given(user: User) -> None:
    profile_update(user=user, bio="Ink & birds", disciplines=["illustration", "comics"])
    profile_update(user=user, location="Lyon")
    profile = Profile.objects.get(user=user)
    assert profile.bio == "Ink & birds"
    assert profile.location == "Lyon"
    assert set(profile.disciplines.values_list("discipline", flat=True)) == {
        Discipline.ILLUSTRATION,
        Discipline.COMICS,
    }


def test_profile_update_replaces_the_set_of_disciplines(user: User) -> None:
    profile_update(user=user, disciplines=["illustration", "comics"])
    profile_update(user=user, disciplines=["3d"])
    assert list(user.profile.disciplines.values_list("discipline", flat=True)) == ["3d"]


@pytest.mark.parametrize(
    "changes",
    [
        {"links": ["javascript:alert(1)"]},
        {"links": [f"https://example.org/{n}" for n in range(6)]},
        {"disciplines": ["crypto-art"]},
        {"bio": "x" * 2001},
        {"display_name": "y" * 65},
        {"kind": "brand"},
    ],
)
def test_profile_update_refuses_bad_values_and_saves_nothing(user: User, changes) -> None:
    before = Profile.objects.get(user=user)
    name_before = User.objects.get(pk=user.pk).display_name
    with pytest.raises(ValidationError):
        profile_update(user=user, location="Changed", **changes)
    after = Profile.objects.get(user=user)
    assert after.location == before.location
    assert after.links == before.links
    assert User.objects.get(pk=user.pk).display_name == name_before


def test_handles_are_case_insensitive(user: User) -> None:
    assert User.objects.get_by_natural_key(user.handle.upper()) == user
    assert User.objects.get_by_natural_key(f"@{user.handle}") == user
