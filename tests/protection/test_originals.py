"""No URL, API field or variant path serves an original's bytes to anyone but its owner.

The walk fills every URL pattern of the project (django.urls resolver) and every route of the
OpenAPI document with the identifiers an attacker would try (the asset's id, its variants'
ids and hashes, the original's hash and storage key, the owner's id and handle) and fetches
each as an anonymous visitor, another member, and a staff member. No answer may contain the
original's bytes (whole, or any 512-byte run of its unique part), and none but the staff's
admin pages may name its storage key. Staff moderate through the admin, which shows the key
as text and never serves the file.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, MediaVariant
from tests.factories import UserFactory
from tests.protection.media import asset_with_variants

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_storage")]

ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^:>]+):)?(?P<name>[^>]+)>")
MAX_URLS_PER_ROUTE = 5
RANDOM_TAIL = 4096
# Routes that answer with side effects on GET, or stream forever, are not for a walk.
SKIP = ("accounts/logout", "i18n/setlang")


def _original_bytes() -> bytes:
    """A real JPEG followed by random bytes: unique to this test, easy to look for."""
    from tests.protection.media import tiny_jpeg

    return tiny_jpeg(3) + secrets.token_bytes(RANDOM_TAIL)


def _candidates(asset: MediaAsset, owner: User) -> dict[str, list[str]]:
    variants = list(asset.variants.all())
    key = asset.original_key
    return {
        "int": [str(asset.pk), str(variants[0].pk), str(owner.pk)],
        "sha256": [asset.original_sha256, variants[0].sha256, variants[-1].sha256],
        "path": [key, key.split("/", 1)[-1], f"private/{key}"],
        "uuid": [str(uuid.uuid4())],
        "slug": [owner.handle, asset.original_sha256],
        "str": [owner.handle, str(asset.pk), asset.original_sha256, Path(key).stem],
        "ext": ["jpg", Path(key).suffix.lstrip(".")],
    }


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = str(pattern)  # the route as written
        elif isinstance(pattern, RegexPattern):
            part = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]*+?|\\]", part):
                part = "<str:regex>"  # a regex route: tried with each string candidate
        else:  # pragma: no cover - Django has only the two
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


def _fill(route: str, candidates: dict[str, list[str]]) -> list[str]:
    params = list(ROUTE_PARAM.finditer(route))
    if not params:
        return ["/" + route]
    choices = []
    for param in params:
        name, conv = param["name"], param["conv"] or "str"
        if name == "ext":
            choices.append(candidates["ext"])
        else:
            choices.append(candidates.get(conv, candidates["str"]))
    urls = []
    for combination in itertools.islice(itertools.product(*choices), MAX_URLS_PER_ROUTE):
        values = iter(combination)

        def value(_match: re.Match[str], source: Iterator[str] = values) -> str:
            return next(source)

        urls.append("/" + ROUTE_PARAM.sub(value, route))
    return urls


def _openapi_urls(client: Client, candidates: dict[str, list[str]]) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json()
    urls = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        route = re.sub(r"\{(\w+)\}", r"<str:\1>", path.lstrip("/"))
        for param in operations["get"].get("parameters", []):
            if param.get("in") == "path" and param.get("schema", {}).get("type") == "integer":
                route = route.replace(f"<str:{param['name']}>", f"<int:{param['name']}>")
        urls.extend(_fill(route, {**candidates, "str": candidates["str"] + candidates["int"]}))
    return urls


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _leaks(body: bytes, original: bytes) -> bool:
    """The whole original, or any 512-byte run of its random tail (a JPEG's header is common
    to every small JPEG, so runs are taken past it)."""
    if original in body:
        return True
    tail = original[-RANDOM_TAIL:]
    return any(tail[i : i + 512] in body for i in range(0, len(tail) - 512, 256))


@pytest.fixture
def scene(db: Any) -> dict[str, Any]:
    owner = UserFactory.create()
    original = _original_bytes()
    asset = asset_with_variants(owner, original=original)
    stranger = UserFactory.create()
    staff = UserFactory.create()
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    staff.refresh_from_db()
    return {"owner": owner, "asset": asset, "original": original, "stranger": stranger,
            "staff": staff}  # fmt: skip


def _clients(scene: dict[str, Any]) -> dict[str, Client]:
    anonymous, member, staff = Client(), Client(), Client()
    member.force_login(scene["stranger"])
    staff.force_login(scene["staff"])
    return {"anonymous": anonymous, "member": member, "staff": staff}


def _walk(scene: dict[str, Any], *, only: str = "", who: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fetch every filled route (and OpenAPI route) as each client; report what leaked."""
    asset, original = scene["asset"], scene["original"]
    candidates = _candidates(asset, scene["owner"])
    routes = [r for r in _routes() if not r.startswith(SKIP) and r.startswith(only)]
    urls = sorted({url for route in routes for url in _fill(route, candidates)})
    if not only:
        urls += _openapi_urls(Client(), candidates)
    leaks: list[str] = []
    served: list[str] = []
    for name, client in _clients(scene).items():
        if who and name not in who:
            continue
        for url in urls:
            response = client.get(url, headers={"user-agent": "Mozilla/5.0 Firefox/133.0"})
            body = _body(response)
            if response.status_code == 200:
                served.append(url)
            if _leaks(body, original):
                leaks.append(f"{url} gave the original to {name}")
            if name != "staff" and asset.original_key.encode() in body:
                leaks.append(f"{url} named the original's key to {name}")
    return {"routes": routes, "urls": urls, "served": served, "leaks": leaks}


def test_no_url_serves_an_original_to_anyone_but_its_owner(scene: dict[str, Any]) -> None:
    walk = _walk(scene)
    assert walk["leaks"] == []
    # The walk covers the project and reaches real objects, not only 404s.
    assert len(walk["routes"]) > 50
    assert "media/v/<sha256:sha256>.<str:ext>" in walk["routes"]
    assert any(url.startswith("/api/v1/") for url in walk["urls"])
    variant = scene["asset"].variants.get(width=320)
    assert f"/media/v/{variant.sha256}.jpg" in walk["served"]
    assert f"/@{scene['owner'].handle}" in walk["served"]


@pytest.mark.urls("tests.protection.urls_leaky")
def test_the_walk_finds_a_leak_when_there_is_one(scene: dict[str, Any]) -> None:
    walk = _walk(scene, only="leak/", who=("anonymous",))
    assert walk["leaks"]
    assert any("leak/original/" in leak for leak in walk["leaks"])


def test_the_original_hash_is_not_a_variant_url_even_for_the_owner(scene: dict[str, Any]) -> None:
    asset = scene["asset"]
    owner = Client()
    owner.force_login(scene["owner"])
    for ext in ("jpg", "webp", "avif"):
        assert owner.get(f"/media/v/{asset.original_sha256}.{ext}").status_code == 404
    # Every variant served is a file of the public storage, never the original.
    for variant in MediaVariant.objects.filter(asset=asset):
        assert variant.sha256 != asset.original_sha256
        assert variant.key != asset.original_key


def test_api_schemas_have_no_original_field() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(str(name).lower() for name in node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    assert len(names) > 20  # the walk found the schemas
    forbidden = [n for n in names if "original" in n or n in {"key", "storage_key", "path"}]
    assert forbidden == []


def test_the_owners_json_status_names_no_original(scene: dict[str, Any]) -> None:
    owner = Client()
    owner.force_login(scene["owner"])
    data = owner.get(f"/media/uploads/{scene['asset'].pk}").json()
    assert not any("original" in key for key in data)
    assert scene["asset"].original_key not in json.dumps(data)


def test_originals_are_stored_outside_every_served_folder() -> None:
    from config import settings as project

    private = project.STORAGES["private"]
    if private["BACKEND"].endswith("FileSystemStorage"):
        location = Path(private["OPTIONS"]["location"]).resolve()
        served = [Path(project.MEDIA_ROOT).resolve(), Path(project.STATIC_ROOT).resolve()]
        for folder in served:
            assert not location.is_relative_to(folder)
            assert not folder.is_relative_to(location)
        assert private["OPTIONS"]["base_url"] is None
    assert settings.STORAGES is not None
