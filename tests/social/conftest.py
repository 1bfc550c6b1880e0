from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from impasto.accounts.models import User
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Viewer
from tests.factories import UserFactory


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(**kwargs: Any) -> User:
        return UserFactory.create(**kwargs)

    return make


@pytest.fixture
def alice(make_user) -> User:
    return make_user(handle="alice", display_name="Alice")


@pytest.fixture
def bob(make_user) -> User:
    return make_user(handle="bob", display_name="Bob")


@pytest.fixture
def carol(make_user) -> User:
    return make_user(handle="carol", display_name="Carol")


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """``with commit(): service(...)`` runs what the service enqueued on commit (the tasks)."""

    def run() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def v(user: User | None) -> Viewer:
    return viewer_for(user)


class _PostImages(dict[int, int]):
    """``images[asset_id] = owner_id`` makes a ready post image (a bare MediaAsset row)."""

    def __setitem__(self, asset_id: int, owner_id: int) -> None:
        from impasto.imaging.models import MediaAsset, Purpose
        from tests.factories import MediaAssetFactory

        MediaAsset.objects.filter(pk=asset_id).delete()
        MediaAssetFactory(id=asset_id, owner_id=owner_id, purpose=Purpose.POST)
        super().__setitem__(asset_id, owner_id)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


@pytest.fixture
def images(db: Any) -> _PostImages:
    """Post images by id: ``images[7] = alice.pk`` gives Alice a ready post image 7."""
    return _PostImages()


@pytest.fixture(autouse=True)
def _tasks_must_not_fail() -> Iterator[None]:
    """The immediate task backend records a failing task instead of raising: fail the test."""
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished

    failures: list[str] = []

    def check(sender: Any, task_result: Any, **kwargs: Any) -> None:
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(f"{task_result.task.name}: {task_result.errors[-1].traceback}")

    task_finished.connect(check)
    yield
    task_finished.disconnect(check)
    assert not failures, failures
