"""Schemathesis over the whole OpenAPI schema, in-process against Django's WSGI application.

Each operation is called with data generated from the schema (valid and deliberately invalid),
anonymously and with a read-and-write token, and every answer is checked: never a server
error, status codes, content types, headers and bodies as the schema documents them,
invalid data refused, operations that need credentials refusing requests without them.

The social operations run against a seeded world (``tests/api/social/world.py``: posts of
each visibility, follows, a block, a mute, a follow request, conversations, notifications),
and valid cases aim their ids and handles at it, so they reach the real code paths rather
than stopping at "not found".

Bounded and repeatable for CI: a fixed number of examples per operation, Hypothesis in
derandomized mode (the same inputs on every run) and no example database on disk.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from impasto.accounts.services import profile_update
from impasto.social.services.posts import post_create
from tests.api.social.world import World, build_world
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Loaded once, at collection, straight from the application (no server, no network). The
# lazy ``schemathesis.pytest.from_fixture`` loader would fit better, but schemathesis 4.32
# reads a pytest-internal attribute that pytest 9.2 removed (``Function._nodeid``).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
ACCOUNT_OPERATIONS = ["me_get", "me_profile_update", "tokens_list", "tokens_revoke", "profile_get"]
accounts = schema.include(operation_id=ACCOUNT_OPERATIONS)

# The social operations (44 of them) are many more calls: each one gets its coverage phase
# (every parameter at its bounds, of the wrong type, missing...) and fewer random examples,
# without the "unexpected HTTP method" probes (one router mechanism, tried on the accounts
# operations above). Anonymously, only the public ones run: what the others do without
# credentials is the "ignored_auth" check of the token run, and the matrix in tests/api/social.
SOCIAL_CONFIG = SchemathesisConfig.from_str("[phases.coverage]\nunexpected-methods = []\n")
social = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=SOCIAL_CONFIG
).exclude(operation_id=ACCOUNT_OPERATIONS)
social_public = social.include(tag=["posts", "people", "tags"], method="GET").exclude(
    operation_id=["relationship_get"]
)
SOCIAL_EXAMPLES = 10


@pytest.fixture(autouse=True)
def _requests_inside_the_test_transaction(db: Any) -> Iterator[None]:
    """Let the WSGI handler run inside the test's transaction.

    A real request closes stale database connections at its start and end; here that would
    close the connection holding the test's transaction, so these two receivers are unplugged
    for the test, as Django's own test client does.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def world(db: Any, django_capture_on_commit_callbacks: Any) -> World:
    """Someone to find by handle, with a full profile, and the social world around "owner"."""
    mira = UserFactory.create(handle="mira")
    profile_update(
        user=mira,
        bio="Ink and *birds*",
        links=["https://mira.example"],
        disciplines=["illustration"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        built = build_world()
        post_create(author=mira, body="Hello @owner #matrix", quote_of_id=built.public_post.pk)
    return built


@pytest.fixture
def write_token(world: World) -> str:
    return world.token("owner", "write")


def aim(case: Any, world: World) -> None:
    """Point a valid case's ids and handles at the seeded world (now and then not: a 404).

    The choice hangs on the generated value, so runs stay repeatable.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    names = world.names()
    posts = [names["public_post"], names["followers_post"], names["unlisted_post"]]
    choices: dict[str, list[Any]] = {
        "post_id": posts,
        "reply_to": posts,
        "quote_of": posts,
        "conversation_id": [names["conversation"], names["request_conversation"]],
        "handle": [names[role] for role in ("owner", "follower", "stranger", "blocked", "muted")]
        + [names["requester"], "mira"],
        "to": ["follower", "stranger", "mira", "owner"],
        "name": ["matrix", "Matrix"],
    }

    def pick(name: str, value: Any) -> Any:
        options = choices[name]
        index = zlib.crc32(repr(value).encode()) % (len(options) + 1)
        if index == len(options):
            return value  # keep the generated one
        option = options[index]
        return (
            str(option)
            if name in ("post_id", "reply_to", "quote_of", "conversation_id")
            else option
        )

    if case.path_parameters:
        case.path_parameters = {
            name: pick(name, value) if name in choices else value
            for name, value in case.path_parameters.items()
        }
    if isinstance(case.body, dict) and any(name in choices for name in case.body):
        case.body = {
            name: pick(name, value) if name in choices and value is not None else value
            for name, value in case.body.items()
        }


# Operations whose services apply rules a JSON schema cannot state, so that a schema-valid
# request may rightly get 422: a link must be a working http(s) URL; a text of spaces only is
# empty; only public posts may be quoted or reposted; a repost has no text to edit; nobody
# follows, blocks or mutes themselves; nobody reports their own work; an upload must be a real
# image. Every other check still applies to them.
RULES_BEYOND_THE_SCHEMA = {
    ("PATCH", "/api/v1/me/profile"),
    ("POST", "/api/v1/posts"),
    ("PATCH", "/api/v1/posts/{post_id}"),
    ("POST", "/api/v1/posts/{post_id}/repost"),
    ("POST", "/api/v1/profiles/{handle}/follow"),
    ("POST", "/api/v1/profiles/{handle}/block"),
    ("POST", "/api/v1/profiles/{handle}/mute"),
    ("POST", "/api/v1/conversations"),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"),
    # moderation: one's own work cannot be reported, and reports are rate-limited per account.
    ("POST", "/api/v1/reports"),
    # Portfolio (impasto.art): a tag is a word with a letter; a text of spaces is empty; a
    # project is published only with an image, and keeps its last one; an image must be the
    # caller's own upload; an order lists every item once; at most six pins; only a published
    # project is shared.
    ("POST", "/api/v1/projects"),
    ("PUT", "/api/v1/projects/{project_id}"),
    ("POST", "/api/v1/projects/{project_id}/images"),
    ("PUT", "/api/v1/projects/{project_id}/images/{image_id}"),
    ("DELETE", "/api/v1/projects/{project_id}/images/{image_id}"),
    ("PUT", "/api/v1/projects/{project_id}/image-order"),
    ("PUT", "/api/v1/projects/{project_id}/pin"),
    ("POST", "/api/v1/projects/{project_id}/comments"),
    ("POST", "/api/v1/projects/{project_id}/share"),
    ("POST", "/api/v1/albums"),
    ("PUT", "/api/v1/albums/order"),
    ("PUT", "/api/v1/albums/{album_id}"),
    ("PUT", "/api/v1/albums/{album_id}/project-order"),
    # Any bytes fit "format: binary"; only real images in the six formats are accepted.
    ("POST", "/api/v1/media"),
    # A name can match the pattern and still fold (NFKD, accents removed) to no tag at all.
    ("POST", "/api/v1/feeds/tags/{name}"),
    ("PATCH", "/api/v1/feeds/preferences"),
}


def excluded_checks(case: Any) -> list[Any]:
    if (case.method.upper(), case.operation.path) in RULES_BEYOND_THE_SCHEMA:
        return [schemathesis.checks.positive_data_acceptance]
    return []


@accounts.parametrize()
@examples(40)
def test_api_anonymous(case: Any) -> None:
    case.call_and_validate(excluded_checks=excluded_checks(case))


@accounts.parametrize()
@examples(40)
def test_api_with_a_token(case: Any, write_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {write_token}"},
        excluded_checks=excluded_checks(case),
    )


@social_public.parametrize()
@examples(SOCIAL_EXAMPLES)
def test_social_api_anonymous(case: Any, world: World) -> None:
    aim(case, world)
    case.call_and_validate(excluded_checks=excluded_checks(case))


@social.parametrize()
@examples(SOCIAL_EXAMPLES)
def test_social_api_with_a_token(case: Any, world: World, write_token: str) -> None:
    aim(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {write_token}"},
        excluded_checks=excluded_checks(case),
    )
