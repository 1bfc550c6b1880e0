from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import override_settings

from impasto.accounts.models import User
from impasto.art import services
from impasto.art.models import Project
from impasto.social.services import graph
from impasto.social.visibility import Visibility
from tests.factories import MediaAssetFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_storage(tmp_path: Any) -> Iterator[None]:
    config = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=config):
        storages._storages = {}  # type: ignore[attr-defined]
        yield
    storages._storages = {}  # type: ignore[attr-defined]


@pytest.fixture
def artist(db: Any) -> User:
    return UserFactory.create(handle="mira", display_name="Mira")


@pytest.fixture
def follower(artist: User) -> User:
    person = UserFactory.create(handle="fen")
    graph.follow_create(follower=person, followee=artist)
    return person


@pytest.fixture
def stranger(db: Any) -> User:
    return UserFactory.create(handle="sol")


@pytest.fixture
def blocked(artist: User) -> User:
    person = UserFactory.create(handle="bex")
    graph.block_create(blocker=artist, blocked=person)
    return person


@pytest.fixture
def blocker(artist: User) -> User:
    """Someone who blocks the artist (the artist's work is hidden from them too)."""
    person = UserFactory.create(handle="kit")
    graph.block_create(blocker=person, blocked=artist)
    return person


MakeProject = Callable[..., Project]


@pytest.fixture
def make_project(db: Any) -> MakeProject:
    """A project with ``images`` bare ready assets (no stored bytes), then ``visibility``."""

    def make(
        owner: User, *, visibility: str = Visibility.PUBLIC, images: int = 1, **kwargs: Any
    ) -> Project:
        kwargs.setdefault("title", "Harbour at night")
        project = services.project_create(owner=owner, no_ai_declared=True, **kwargs)
        for n in range(images):
            asset = MediaAssetFactory.create(owner=owner)
            services.project_image_attach(
                user=owner, project_id=project.pk, asset_id=asset.pk, alt_text=f"Picture {n}"
            )
        if visibility != Visibility.DRAFT:
            services.project_visibility_set(
                user=owner, project_id=project.pk, visibility=visibility
            )
        project.refresh_from_db()
        return project

    return make
