"""The verify page: an artist checks a copy found elsewhere and gets the report, the nearest of
their own works, and a takedown summary; the file is never stored."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import pyvips
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, MediaVariant
from tests.factories import UserFactory
from tests.imaging import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_storage")]


def upload(client: Client, data: bytes) -> MediaAsset:
    response = client.post(
        reverse("imaging:api-upload"),
        {"file": SimpleUploadedFile("work.jpg", data, content_type="application/octet-stream")},
    )
    assert response.status_code == 201, response.content
    return MediaAsset.objects.get(pk=int(response.json()["id"]))


def scraped_copy(asset: MediaAsset) -> bytes:
    """What a scraper would repost: the 1080 px variant at half size, JPEG quality 75."""
    variant = MediaVariant.objects.get(asset=asset, format="jpeg", width=1080)
    with storages["default"].open(variant.key, "rb") as handle:
        image = pyvips.Image.new_from_buffer(handle.read(), "")
    return bytes(image.resize(0.5).jpegsave_buffer(Q=75, keep="none"))


def check(client: Client, data: bytes, name: str = "found.jpg", **extra: str):
    return client.post(
        reverse("imaging:verify-submit"),
        {"file": SimpleUploadedFile(name, data, content_type="image/jpeg"), **extra},
    )


def files_in(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def artist() -> User:
    return UserFactory.create()


@pytest.fixture
def artist_client(artist: User) -> Client:
    client = Client()
    client.force_login(artist)
    return client


def test_a_scraped_copy_is_traced_to_the_artists_own_work(
    artist: User, artist_client: Client, media_storage: Path, settings, tmp_path: Path
) -> None:
    work = upload(artist_client, images.jpeg(1600, 1200, seed=11))
    upload(artist_client, images.jpeg(1400, 1000, seed=12))
    copy = scraped_copy(work)
    # A temporary folder of this test's own: the suite's is shared with other test processes,
    # whose uploads in flight would look like files left behind.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    stored_before = files_in(media_storage)
    temp_before = files_in(Path(settings.FILE_UPLOAD_TEMP_DIR))
    assets_before = MediaAsset.objects.count()

    response = check(artist_client, copy)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    result = response.context["check"]
    assert result.report["watermark"]["found"]
    assert result.report["watermark"]["asset_id"] == str(work.pk)
    assert result.nearest[0].asset == work
    assert result.nearest[0].match
    assert not result.nearest[1].match  # the other work is not this picture
    page = response.content.decode()
    assert "the same picture" in page
    assert 'id="takedown-summary"' in page
    summary = result.summary
    assert "Invisible owner watermark: FOUND" in summary
    assert f"image {work.pk}" in summary
    assert "(the account preparing this report)" in summary
    assert hashlib.sha256(copy).hexdigest() in summary
    assert "AI training" in summary

    # Checked and forgotten: no asset, no stored file, no temporary file left behind.
    assert MediaAsset.objects.count() == assets_before
    assert files_in(media_storage) == stored_before
    assert files_in(Path(settings.FILE_UPLOAD_TEMP_DIR)) <= temp_before

    download = check(artist_client, copy, download="1")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"Invisible owner watermark: FOUND" in download.content


def test_another_artist_sees_only_their_own_works_as_nearest(
    artist: User, artist_client: Client
) -> None:
    work = upload(artist_client, images.jpeg(1200, 900, seed=13))
    someone = Client()
    someone.force_login(UserFactory.create())
    response = check(someone, scraped_copy(work))
    assert response.status_code == 200
    assert response.context["check"].nearest == []
    assert "You have no works to compare it with yet." in response.content.decode()
    assert "(the account preparing this report)" not in response.context["check"].summary


def test_refused_files_get_the_upload_rules_message(artist_client: Client, settings) -> None:
    pdf = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    response = check(artist_client, pdf, name="found.jpg")
    assert response.status_code == 415
    assert "PDF" in response.content.decode()
    settings.IMPASTO_UPLOAD_MAX_BYTES = 10_000
    big = check(artist_client, images.jpeg(900, 700))
    assert big.status_code == 413


def test_the_page_is_for_signed_in_artists(artist_client: Client) -> None:
    assert artist_client.get("/settings/verify").status_code == 200
    assert Client().get("/settings/verify").status_code == 302
    assert Client().post(reverse("imaging:verify-submit")).status_code in {302, 403}
