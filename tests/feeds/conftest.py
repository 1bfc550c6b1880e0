from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from impasto.accounts.models import Profile, ProfileDiscipline, User
from impasto.social.models import Post, PostAttachment
from tests.factories import UserFactory


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(**kwargs: Any) -> User:
        return UserFactory.create(**kwargs)

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(handle="alice", display_name="Alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user(handle="bob", display_name="Bob")


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user(handle="carol", display_name="Carol")


def attach(post: Post, alt_text: str = "", asset_id: int = 1) -> PostAttachment:
    """An image on a post, written directly (feeds only read it): a bare ready asset row of the
    author's with that id (PostAttachment.asset is a real foreign key to imaging)."""
    from impasto.imaging.models import MediaAsset, Purpose
    from tests.factories import MediaAssetFactory

    if not MediaAsset.objects.filter(pk=asset_id).exists():
        MediaAssetFactory.create(id=asset_id, owner=post.author, purpose=Purpose.POST)
    return PostAttachment.objects.create(
        post=post, asset_id=asset_id, position=post.attachments.count(), alt_text=alt_text
    )


def add_field(user: User, discipline: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    ProfileDiscipline.objects.create(profile=profile, discipline=discipline)
