from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import override_settings

from impasto.protection import ratelimit


class FakeClock:
    """A clock the test moves by hand, so refill is tested without sleeping."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock


@pytest.fixture(params=["locmem", "redis"])
def limiter_cache(request: pytest.FixtureRequest) -> str:
    """Run a limiter test on the default local-memory cache and on the real Redis."""
    if request.param == "redis":
        request.applymarker(pytest.mark.redis)
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.fixture
def media_storage(tmp_path: Path) -> Iterator[Path]:
    """Public and private storage in this test's own folder."""
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
        yield tmp_path
    storages._storages = {}  # type: ignore[attr-defined]
