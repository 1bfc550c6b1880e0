"""The web app manifest, the service worker route and the offline page."""

from __future__ import annotations

import re

import pytest
import pyvips
from django.contrib.staticfiles import finders
from django.test import Client

STATIC_URL = "/static/"


def static_file(url: str) -> str:
    assert url.startswith(STATIC_URL)
    path = finders.find(url.removeprefix(STATIC_URL))
    assert path, f"{url} is not a static file"
    return str(path)


def test_manifest_is_served_with_its_content_type(client: Client, db) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in response["Cache-Control"]
    manifest = response.json()
    assert manifest["name"] == "Impasto"
    assert manifest["short_name"] == "Impasto"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#f6f3ee"
    assert manifest["background_color"] == "#f6f3ee"
    assert manifest["lang"] == "en"


def test_manifest_icons_exist_at_their_declared_sizes(client: Client, db) -> None:
    icons = client.get("/manifest.webmanifest").json()["icons"]
    pngs = [icon for icon in icons if icon["type"] == "image/png"]
    assert {(icon["sizes"], icon["purpose"]) for icon in pngs} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in pngs:
        image = pyvips.Image.new_from_file(static_file(icon["src"]))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert (image.width, image.height) == (width, height)
    maskable = next(icon for icon in pngs if icon["purpose"] == "maskable")
    image = pyvips.Image.new_from_file(static_file(maskable["src"]))
    # Full bleed: a maskable icon has no transparent corners for the launcher to show.
    assert image.bands == 3 or image.extract_band(3).min() == 255
    for icon in icons:
        assert client.get(icon["src"]).status_code == 200


def test_manifest_speaks_the_visitors_language(client: Client, db) -> None:
    manifest = client.get("/manifest.webmanifest", headers={"Accept-Language": "fr"}).json()
    assert manifest["lang"] == "fr"
    assert manifest["description"].startswith("Une maison pour les œuvres des artistes")
    vary = client.get("/manifest.webmanifest")["Vary"]
    assert "Accept-Language" in vary
    assert "Cookie" in vary  # the language cookie counts too


def test_service_worker_is_served_from_the_root_uncached(client: Client, db) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    # Browsers must always see the newest worker: no HTTP caching of the script.
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def _config(client: Client, **headers: str) -> dict[str, object]:
    import json

    script = client.get("/sw.js", headers=headers).content.decode()
    match = re.search(r"^const CONFIG = (\{.*\});$", script, flags=re.MULTILINE)
    assert match, "the worker starts with its configuration"
    return dict(json.loads(match.group(1)))


def test_service_worker_precaches_the_offline_page_and_the_shell(client: Client, db) -> None:
    config = _config(client)
    precache = config["precache"]
    assert isinstance(precache, list)
    assert config["offline"] == "/offline"
    assert "/offline" in precache
    assert "/static/css/impasto.css" in precache
    assert "/static/js/impasto.js" in precache
    assert any("django_htmx/htmx-2" in url for url in precache)
    for url in precache:
        assert client.get(url).status_code == 200, url


def test_service_worker_never_caches_pages_api_or_media() -> None:
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "templates/core/sw.js").read_text()
    # Only two places put responses in the cache: the install step (precache list) and
    # static files. Pages, /api/ and /media/ are never written to it.
    assert source.count("cache.put(") == 1
    assert "url.pathname.startsWith(CONFIG.static)" in source
    assert 'request.method !== "GET"' in source


def test_service_worker_version_changes_with_the_language(client: Client, db) -> None:
    english = _config(client)["version"]
    assert _config(client)["version"] == english  # stable between requests
    french = _config(client, **{"Accept-Language": "fr"})["version"]
    assert french != english  # a new worker re-caches the offline page in French


@pytest.mark.parametrize("logged_in", [False, True])
def test_offline_page_holds_nothing_personal(
    client: Client, user, logged_in: bool, django_assert_num_queries
) -> None:
    if logged_in:
        client.force_login(user)
    with django_assert_num_queries(0):
        response = client.get("/offline")
    assert response.status_code == 200
    content = response.content.decode()
    assert "You are offline" in content
    assert user.handle not in content
    assert "csrf" not in content.lower()
    assert "/static/css/impasto.css" in content
    assert "Set-Cookie" not in response
