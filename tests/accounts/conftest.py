from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.conf import settings
from django.test import Client
from django.urls import reverse

from impasto.accounts.models import User


def picture(kind: str = "png", width: int = 640, height: int = 480, **save: Any) -> bytes:
    """A real picture made by code: a diagonal gradient with a little noise."""
    x = pyvips.Image.xyz(width, height)
    gradient = (x[0] * 255 / max(width, 1) + x[1] * 128 / max(height, 1)).cast("uchar")
    noise = pyvips.Image.gaussnoise(width, height, sigma=12).cast("uchar")
    image = gradient.bandjoin([noise, (255 - gradient).cast("uchar")])
    return bytes(image.write_to_buffer(f".{kind}", **save))


@pytest.fixture
def make_picture() -> Callable[..., bytes]:
    return picture


@pytest.fixture(autouse=True)
def _own_storage(settings: Any, tmp_path: Path) -> None:
    """Each test gets empty media and private folders of its own.

    pytest-xdist workers share the data folder, so "nothing was stored" can only be checked
    in folders no other test writes to.
    """
    media, private = tmp_path / "media", tmp_path / "private"
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": media, "base_url": settings.MEDIA_URL},
    }
    storages["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": private, "base_url": None},
    }
    settings.STORAGES = storages
    settings.MEDIA_ROOT = media
    settings.PRIVATE_ROOT = private


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def media_files() -> set[str]:
    return _files(Path(settings.MEDIA_ROOT))


def private_files() -> set[str]:
    return _files(Path(settings.PRIVATE_ROOT))


def log_in(client: Client, login: str, password: str, **extra: Any) -> Any:
    """Log in through the real log-in page (allauth), as a browser would."""
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with run_on_commit(): ...`` runs what the block queued with transaction.on_commit.

    The test's own transaction never commits, so emails and tasks queued for after the
    commit would otherwise never leave.
    """

    def context() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return context


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request: pytest.FixtureRequest) -> str:
    """Run a test on the local memory cache and again on the real Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return str(request.param)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)
