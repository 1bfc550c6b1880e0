from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from impasto.accounts.models import User
from impasto.api.services import token_create
from tests.factories import UserFactory


class Api:
    """Calls the API as one person, with a personal access token."""

    def __init__(self, user: User | None, scope: str = "write") -> None:
        self.user = user
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, raw = token_create(user=user, name="tests", scope=scope)
            self.headers["Authorization"] = f"Bearer {raw}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(path, body or {}, "application/json", headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, body, "application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api(db: Any) -> Callable[..., Api]:
    """``api(user)`` calls as ``user`` with a write token; ``api(None)`` anonymously."""
    return Api


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
    """``with commit(): ...`` runs what was enqueued on commit (the notification tasks)."""

    def run() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]
    return body


def fields(response: Any) -> list[str | None]:
    return [error["field"] for error in assert_error(response, 422)["errors"]]
