"""Cloaking wired to uploads: the artist's level at upload, the background job against a real
HTTP cloaking service on loopback, the status in the upload list, the notice, "off" again,
and an image the artist cloaked before upload keeping its pixels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import pyvips
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from werkzeug import Request, Response

from impasto.accounts.models import User
from impasto.imaging import services
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.protection.cloaking import preserve
from impasto.protection.cloaking.models import CloakJob
from tests.factories import UserFactory
from tests.imaging import images
from tests.protection.cloaking import builders as b

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_storage")]

PATH = "/v1/cloak"
KEY = "cloak-key-wiring"
HTTP = "impasto.protection.cloaking.backends.http.HttpCloakBackend"
ADAPTER = "impasto.imaging.cloaking.ImagingCloakPipeline"


def http_config(url: str) -> dict[str, Any]:
    return {
        "BACKEND": HTTP,
        "OPTIONS": {"url": url, "api_key": KEY, "read_timeout": 30},
        "PIPELINE": ADAPTER,
        "NOTIFY": "impasto.protection.cloaking.notify.email_owner",
        "STALE_AFTER": 600,
    }


def cloak_service(httpserver: Any, seen: list[int]) -> None:
    """A cloaking service that adds +-1 noise, within the low budget, and says which widths."""

    def handler(request: Request) -> Response:
        pixels = b.read_png(request.files["image"].read())
        seen.append(pixels.shape[1])
        noise = np.random.default_rng(pixels.shape[1]).integers(-1, 2, pixels.shape)
        out = np.clip(pixels.astype(int) + noise, 0, 255).astype(np.uint8)
        return Response(b.png(out), content_type="image/png")

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)


def upload(client: Client, data: bytes, name: str = "work.png", **fields: str) -> MediaAsset:
    response = client.post(
        reverse("imaging:api-upload"),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), **fields},
    )
    assert response.status_code == 201, response.content
    return MediaAsset.objects.get(pk=int(response.json()["id"]))


def decoded(variant: MediaVariant) -> np.ndarray:
    with storages["default"].open(variant.key, "rb") as handle:
        return preserve.decode(handle.read())


@pytest.fixture
def artist() -> User:
    return UserFactory.create()


@pytest.fixture
def artist_client(artist: User) -> Client:
    client = Client()
    client.force_login(artist)
    return client


def test_a_level_chosen_at_upload_cloaks_every_display_width_in_the_background(
    httpserver: Any, artist_client: Client, artist: User
) -> None:
    seen: list[int] = []
    cloak_service(httpserver, seen)
    with override_settings(CLOAKING=http_config(httpserver.url_for(PATH))):
        asset = upload(artist_client, images.png(1200, 800), cloak_level="low")
        asset.refresh_from_db()
        assert asset.status == MediaAsset.Status.READY
        job = CloakJob.objects.get(asset_id=asset.pk)
        assert (job.status, job.level, job.error) == ("done", "low", "")
        assert sorted(seen) == [320, 640, 1080, 1200]  # every width it is shown at
        assert job.ssim is not None
        assert job.ssim > 0.95
        # The served files are the cloaked pixels, losslessly kept (WebP), with the rights.
        webp = MediaVariant.objects.get(asset=asset, format="webp", width=640)
        pixels = decoded(webp)
        with storages["default"].open(webp.key, "rb") as handle:
            data = handle.read()
        assert b"DMI-PROHIBITED-AIMLTRAINING" in data
        assert pixels.shape == (427, 640, 3)
        assert MediaVariant.objects.filter(asset=asset).count() == 12  # nothing added or lost
        # The artist is told, and sees it in the upload list.
        assert mail.outbox[-1].subject.endswith("Your work is cloaked")
        page = artist_client.get(reverse("imaging:upload")).content.decode()
        assert 'data-cloak-status="done"' in page
        assert "Cloaked (Low)" in page

        # "Off" again: the usual variants come back, and the asset never left "ready".
        cloaked_keys = set(MediaVariant.objects.filter(asset=asset).values_list("key", flat=True))
        services.asset_cloak_choose(owner=artist, asset_ids=[asset.pk], level="off")
        asset.refresh_from_db()
        assert asset.status == MediaAsset.Status.READY
        assert asset.cloak_level == "off"
        job.refresh_from_db()
        assert (job.status, job.level) == ("done", "off")
        plain_keys = set(MediaVariant.objects.filter(asset=asset).values_list("key", flat=True))
        assert not plain_keys & cloaked_keys
        assert all(not storages["default"].exists(key) for key in cloaked_keys)


def test_the_cloak_follows_a_reprocessed_image(
    httpserver: Any, artist_client: Client, artist: User
) -> None:
    seen: list[int] = []
    cloak_service(httpserver, seen)
    with override_settings(CLOAKING=http_config(httpserver.url_for(PATH))):
        asset = upload(artist_client, images.png(700, 500), cloak_level="low")
        assert CloakJob.objects.get(asset_id=asset.pk).status == "done"
        first = len(seen)
        asset.refresh_from_db()
        services.asset_reprocess(asset=asset)
        job = CloakJob.objects.get(asset_id=asset.pk)
        assert job.status == "done"
        assert job.generation == 2
        assert len(seen) == 2 * first  # cloaked again, not left uncloaked


def test_a_refused_cloak_leaves_the_image_as_it_was_and_says_why(
    httpserver: Any, artist_client: Client
) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_json(
        {"error": "busy", "message": "The service is busy."}, status=503
    )
    with override_settings(CLOAKING=http_config(httpserver.url_for(PATH))):
        asset = upload(artist_client, images.png(700, 500), cloak_level="high")
        job = CloakJob.objects.get(asset_id=asset.pk)
        assert job.status == "failed"
        assert MediaAsset.objects.get(pk=asset.pk).status == "ready"
        page = artist_client.get(reverse("imaging:upload")).content.decode()
        assert 'data-cloak-status="failed"' in page
        assert "Not cloaked" in page


def test_the_choice_service_ignores_others_images(httpserver: Any, artist: User) -> None:
    other = UserFactory.create()
    from tests.protection.media import asset_with_variants

    theirs = asset_with_variants(other)
    with override_settings(CLOAKING={**http_config(httpserver.url_for(PATH)), "BACKEND": None}):
        changed = services.asset_cloak_choose(owner=artist, asset_ids=[theirs.pk], level="high")
    assert changed == []
    assert MediaAsset.objects.get(pk=theirs.pk).cloak_level == "off"
    assert not CloakJob.objects.filter(asset_id=theirs.pk).exists()


def test_an_image_cloaked_by_the_artist_keeps_its_pixels(
    artist_client: Client, httpserver: Any
) -> None:
    data = images.png(900, 600)
    with override_settings(CLOAKING=http_config(httpserver.url_for(PATH))):
        asset = upload(artist_client, data, self_cloaked="true", cloak_level="high")
    asset.refresh_from_db()
    assert asset.self_cloaked
    assert asset.cloak_level == "off"  # their cloak is never cloaked over
    widths = sorted({v.width for v in asset.variants.all()})
    assert widths == [320, 640, 900]  # the upload's own width stands in for 1080 and up
    source = preserve.decode(bytes(pyvips.Image.new_from_buffer(data, "").pngsave_buffer()))
    for fmt in ("webp", "avif"):
        kept = decoded(MediaVariant.objects.get(asset=asset, format=fmt, width=900))
        assert np.array_equal(kept, source), fmt  # pixel for pixel: no resampling, no stamp
    jpeg = decoded(MediaVariant.objects.get(asset=asset, format="jpeg", width=900))
    assert np.abs(jpeg.astype(int) - source.astype(int)).mean() < 1.5  # Q98, 4:4:4
    job = CloakJob.objects.get(asset_id=asset.pk)
    assert (job.status, job.details) == ("kept", {"kept_width": 900})
    assert httpserver.log == []  # no cloak of ours was asked for
    page = artist_client.get(reverse("imaging:upload")).content.decode()
    assert 'data-cloak-status="kept"' in page
    assert "we serve your pixels" in page


def test_the_cloak_panel_answers_for_an_image_to_its_owner_only(artist: User) -> None:
    from tests.protection.media import asset_with_variants

    asset = asset_with_variants(artist)
    owner, stranger = Client(), Client()
    owner.force_login(artist)
    stranger.force_login(UserFactory.create())
    url = reverse("cloaking:work-panel", args=[asset.pk])
    assert owner.get(url).status_code == 200
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code in {302, 404}
