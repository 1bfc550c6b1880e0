from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from impasto.accounts.models import User
from impasto.imaging import services as imaging_services
from impasto.imaging.models import MediaAsset
from impasto.moderation import auditlog
from tests.factories import UserFactory
from tests.imaging.conftest import _isolated_storage  # noqa: F401  (each test its own folders)


@pytest.fixture(autouse=True)
def _audit_log_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """The audit log's triggers are there for every test (a transactional test below drops
    them at its end so the suite can empty the table)."""
    if request.node.get_closest_marker("django_db") is None and not any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    ):
        yield
        return
    request.getfixturevalue(
        "db" if "live_server" not in request.fixturenames else "transactional_db"
    )
    auditlog.install(connection)
    yield


@pytest.fixture
def flushable_audit_log(transactional_db: Any) -> Iterator[None]:
    """For transactional tests: drop the triggers at the end, so the flush can empty the log."""
    auditlog.install(connection)
    yield
    auditlog.uninstall(connection)


@pytest.fixture
def moderator(db: Any) -> User:
    return UserFactory.create(is_staff=True)


@pytest.fixture
def second_moderator(db: Any) -> User:
    return UserFactory.create(is_staff=True)


@pytest.fixture
def upload(tmp_path: Path, django_capture_on_commit_callbacks: Any) -> Callable[..., MediaAsset]:
    """Upload bytes for ``owner`` and run the real pipeline (screening included)."""

    def run(owner: User, data: bytes, name: str = "work.png") -> MediaAsset:
        path = tmp_path / name
        path.write_bytes(data)
        with django_capture_on_commit_callbacks(execute=True):
            asset, _created = imaging_services.asset_upload(owner=owner, path=path)
        asset.refresh_from_db()
        return asset

    return run
