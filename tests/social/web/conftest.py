from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from impasto.accounts.models import User


@pytest.fixture
def as_user() -> Callable[[User | None], Client]:
    """``as_user(user)``: a client signed in as ``user`` (None: a visitor), a new one each time."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
