"""Every social operation against every role and credential (tests/api/social/cases.py).

One test per case builds the world once; each caller then runs in a savepoint that is rolled
back, so every caller meets the same world. For each caller the test checks the status, that
a refused or no-op call changed nothing in the database, that the answer holds no text the
role may not read, and the case's own check of what the answer shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.api.social.cases import CASES, EndpointCase, expected_status
from tests.api.social.world import ROLES, SECRETS, World, build_world, snapshot

pytestmark = pytest.mark.django_db

# Credentials tried for each role: the owner also through the web session.
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "anonymous": ("none",),
    "owner": ("session", "read_token", "write_token"),
    **dict.fromkeys(ROLES[2:], ("read_token", "write_token")),
}


def call(world: World, case: EndpointCase, role: str, credential: str) -> Any:
    client = Client()
    headers: dict[str, str] = {}
    if credential == "session":
        client.force_login(world.people[role])
    elif credential != "none":
        scope = "read" if credential == "read_token" else "write"
        headers["Authorization"] = f"Bearer {world.token(role, scope)}"
    method = getattr(client, case.method.lower())
    body = case.body_for(world)
    if body is None:
        return method(case.path_for(world), headers=headers)
    return method(case.path_for(world), body, "application/json", headers=headers)


@pytest.fixture
def world(django_capture_on_commit_callbacks) -> World:
    with django_capture_on_commit_callbacks(execute=True):  # the owner's notifications
        built = build_world()
    for role in ROLES[1:]:  # tokens made before the savepoints, so none is rolled back
        built.token(role, "read")
        built.token(role, "write")
    return built


def test_every_operation_has_cases() -> None:
    from impasto.api.v1 import api

    schema = api.get_openapi_schema()
    social_tags = {"posts", "people", "tags", "notifications", "messages"}
    social_ops = {
        spec["operationId"]
        for methods in schema["paths"].values()
        for spec in methods.values()
        if social_tags & set(spec.get("tags", []))
        or spec["operationId"]
        in {
            "bookmarks_list",
            "follow_requests_list",
            "follow_request_accept",
            "follow_request_reject",
            "follower_remove",
            "social_settings_get",
            "social_settings_update",
        }
    }
    assert social_ops == {case.name.split(":")[0] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_operation_answers_each_role(world: World, case: EndpointCase) -> None:
    failures: list[str] = []
    for role, credentials in CREDENTIALS.items():
        for credential in credentials:
            expected = expected_status(case, role, credential)
            with transaction.atomic():
                before = snapshot()
                response = call(world, case, role, credential)
                after = snapshot()
                transaction.set_rollback(True)
            who = f"{role} ({credential})"
            if response.status_code != expected:
                failures.append(f"{who}: {response.status_code}, expected {expected}")
                continue
            if response.status_code != 204:
                assert response["Content-Type"].startswith("application/json"), who
            text = response.content.decode()
            for secret, readers in SECRETS.items():
                if role not in readers and secret in text:
                    failures.append(f"{who}: the answer shows {secret!r}")
            if case.changes_state(role, response.status_code):
                if before == after:
                    failures.append(f"{who}: {response.status_code} but nothing changed")
            elif before != after:
                changed = sorted(name for name in before if before[name] != after[name])
                failures.append(f"{who}: {response.status_code} but {changed} changed")
            if case.check is not None and 200 <= response.status_code < 300:
                try:
                    case.check(world, role, response.json())
                except AssertionError as error:
                    failures.append(f"{who}: {case.check.__name__} failed {error}")
    assert not failures, "\n".join(failures)
