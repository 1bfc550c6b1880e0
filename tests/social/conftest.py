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


@pytest.fixture
def images() -> Iterator[dict[int, int]]:
    """A stand-in for imaging's asset table: asset id -> owner id, all of them ``ready``.

    The real check (imaging.Asset, owner and status) is registered by the lead when imaging
    lands; until then this is the only way to exercise the attachment rules.
    """
    from impasto.social.assets import register_asset_checker

    owned: dict[int, int] = {}

    def check(owner_id: int, asset_ids: Any) -> set[int]:
        return {a for a in asset_ids if owned.get(a) == owner_id}

    previous = register_asset_checker(check)
    yield owned
    register_asset_checker(previous)


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
