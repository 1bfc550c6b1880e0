"""Every route of the site, walked by readers who may not see what it names.

The apps' own matrices (tests/social/web/matrix.py, tests/api/social/cases.py...) say what each
reader gets on each of their routes. This walk is the safety net over all of them: it lists
every URL pattern the project serves (Django's admin aside), fills each object in the URL with
something the artist keeps from the reader (a followers-only post, her conversation, her
unfinished upload, her data export, a variant of her held work), and asks as anonymous,
stranger, blocked and blocking readers, with GET and with POST. The answer must be 404 (or 405
for a method the route does not take, or the log-in page for someone not signed in): never the
object, never a 403 or a form error that tells the object exists, never a server error.

A new route whose URL takes an object this file does not know fails
``test_every_route_is_walked``: add a filler for its keyword below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impasto.accounts.models import DataExport
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.moderation.models import Case
from tests.factories import MediaAssetFactory
from tests.social.web.world import World, build_world

pytestmark = pytest.mark.django_db

HIDDEN_FROM = ("anonymous", "stranger", "blocked", "blocking")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            kwargs = tuple(entry.pattern.regex.groupindex)
            outer = tuple(
                key for key in _prefix_kwargs(prefix) if key not in kwargs
            )  # e.g. the API's own prefix takes none
            yield Route(name, prefix + str(entry.pattern), outer + kwargs)


def _prefix_kwargs(prefix: str) -> tuple[str, ...]:
    import re

    return tuple(re.findall(r"<(?:\w+:)?(\w+)>", prefix))


def routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith(("admin:", "api:")) or route.name == "api-root":
            continue  # the admin is staff-only; the API has its own matrix and schemathesis run
        seen.setdefault(route.name, route)
    return list(seen.values())


@dataclass
class Hidden:
    """What the artist keeps from the readers in HIDDEN_FROM, by URL keyword."""

    world: World
    asset: MediaAsset
    variant: MediaVariant
    export: DataExport
    case: Case


def build_hidden() -> Hidden:
    world = build_world()
    asset = MediaAssetFactory.create(owner=world.artist, status=MediaAsset.Status.HELD)
    variant = MediaVariant.objects.create(
        asset=asset,
        format="jpeg",
        width=640,
        height=427,
        sha256="a" * 64,
        key="v/" + "a" * 64 + ".jpg",
        bytes=1000,
    )
    default_storage.save(variant.key, ContentFile(b"not really a jpeg"))
    export = DataExport.objects.create(user=world.artist, file_name="export.zip")
    case = Case.objects.create(
        target_type="asset",
        target_id=asset.pk,
        subject=world.artist,
        source=Case.Source.DETECTION,
        held=True,
    )
    return Hidden(world=world, asset=asset, variant=variant, export=export, case=case)


# keyword -> the artist's hidden object; None: the keyword names no object (checked for 5xx only)
FILL: dict[str, Callable[[Hidden], Any] | None] = {
    "post_id": lambda h: h.world.private.pk,
    "conversation_id": lambda h: h.world.conversation_id,
    "asset_id": lambda h: h.asset.pk,
    "work_id": lambda h: h.asset.pk,
    "export_id": lambda h: h.export.pk,
    "case_id": lambda h: h.case.pk,
    "target_id": lambda h: h.world.private.pk,  # with target_type "post" (DEFAULTS)
    "sha256": lambda h: h.variant.sha256,
    "handle": None,  # a person: hidden only across a block (see test_a_block_hides_her_routes)
    "ext": None,
    "name": None,
    "tab": None,
    "field": None,
    "key": None,
    "uidb36": None,
    "target_type": None,
    "feed": None,
}
DEFAULTS = {
    "ext": "jpg",
    "name": "avatar",
    "tab": "posts",
    "field": "avatar",
    "key": "x-y",
    "target_type": "post",
    "feed": "following",
}


def _url(route: Route, hidden: Hidden, handle: str = "mira") -> str:
    kwargs: dict[str, Any] = {}
    for key in route.kwargs:
        filler = FILL[key]
        if filler is not None:
            kwargs[key] = filler(hidden)
        elif key == "handle":
            kwargs[key] = handle
        elif key == "uidb36":
            kwargs[key] = "1"
        else:
            kwargs[key] = DEFAULTS[key]
    return reverse(route.name, kwargs=kwargs)


def _ask(client: Client, method: str, url: str) -> HttpResponse:
    """One request whose writes are rolled back: every request sees the same world."""
    with transaction.atomic():
        response: HttpResponse = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


# Undoing (unfollow, unmute, unblock, removing a follower) is always allowed, block or not: the
# person who blocked someone must still be able to unblock them, and a no-op reveals nothing.
UNDO = {"social:unfollow", "social:follower-remove", "social:unmute", "social:unblock"}


def _refused(role: str, status: int, location: str) -> bool:
    if status in (404, 405):
        return True
    return role == "anonymous" and status == 302 and location.startswith("/accounts/login/")


def test_every_route_is_walked() -> None:
    unknown = {(route.name, key) for route in routes() for key in route.kwargs if key not in FILL}
    assert unknown == set(), "add a filler to FILL for these URL keywords"


def test_objects_the_artist_keeps_are_404_on_every_route_for_every_method() -> None:
    hidden = build_hidden()
    leaks = []
    for route in routes():
        if not any(FILL[key] is not None for key in route.kwargs):
            continue
        url = _url(route, hidden)
        for role in HIDDEN_FROM:
            client = hidden.world.client_for(role)
            for method in ("get", "post"):
                response = _ask(client, method, url)
                if not _refused(role, response.status_code, response.get("Location", "")):
                    leaks.append((route.name, role, method, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))


def test_a_block_hides_her_routes_from_both_sides() -> None:
    hidden = build_hidden()
    leaks = []
    for route in routes():
        if "handle" not in route.kwargs or route.name == "accounts:profile-picture":
            continue
        url = _url(route, hidden)
        for role in ("blocked", "blocking"):
            client = hidden.world.client_for(role)
            for method in ("get", "post"):
                response = _ask(client, method, url)
                if route.name in UNDO and method == "post" and response.status_code == 302:
                    continue
                if response.status_code not in (404, 405):
                    leaks.append((route.name, role, method, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))


def test_no_route_answers_a_server_error_to_anyone() -> None:
    hidden = build_hidden()
    errors = []
    for route in routes():
        url = _url(route, hidden)
        for role in ("anonymous", "owner", "follower", "stranger", "blocked"):
            client = hidden.world.client_for(role)
            for method in ("get", "post"):
                status = _ask(client, method, url).status_code
                if status >= 500:
                    errors.append((route.name, role, method, status))
    assert errors == []
