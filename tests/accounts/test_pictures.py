"""Avatars and banners: real pictures made in the test, and hostile bytes that must be refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
import pyvips
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from impasto.accounts import pictures
from impasto.accounts.models import Profile
from impasto.accounts.services import (
    account_deletion_request,
    profile_remove_picture,
    profile_set_avatar,
    profile_set_banner,
)
from impasto.imaging.models import MediaAsset, Purpose
from tests.accounts.conftest import media_files, picture, private_files

pytestmark = pytest.mark.django_db


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG that claims to be width x height (a pixel flood)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def decode(data: bytes) -> pyvips.Image:
    return pyvips.Image.new_from_buffer(data, "")


def set_now(setter, user, data: bytes) -> Profile:
    """Upload a picture and run the pipeline at once (what the worker does), then the profile."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        setter(user=user, upload=io.BytesIO(data))
    return Profile.objects.get(user=user)


@pytest.mark.parametrize(
    ("kind", "options"),
    [("png", {}), ("gif", {}), ("png", {"bitdepth": 16})],
)
def test_avatar_is_a_square_webp_variant_made_by_the_pipeline(user, kind, options):
    data = picture(kind, 900, 600, **options)
    asset = profile_set_avatar(user=user, upload=io.BytesIO(data))
    # Accepted (header only) and waiting for the worker: the profile has not changed yet.
    assert (asset.purpose, asset.status) == (Purpose.AVATAR, MediaAsset.Status.PROCESSING)
    assert Profile.objects.get(user=user).avatar.name == ""
    profile = set_now(profile_set_avatar, user, data)
    name = profile.avatar.name
    assert name.startswith("v/")
    assert name.endswith(".webp")
    with default_storage.open(name) as stored:
        image = decode(stored.read())
    assert image.get("vips-loader").startswith("webpload")
    assert (image.width, image.height) == (512, 512)
    assert image.interpretation == "srgb"


def test_banner_is_a_three_to_one_webp_at_most_1600_wide(user):
    profile = set_now(profile_set_banner, user, picture("jpg", 1200, 1200))
    with default_storage.open(profile.banner.name) as stored:
        image = decode(stored.read())
    assert image.width <= 1600
    assert image.width == 3 * image.height


def test_pictures_keep_no_camera_metadata(user):
    source = pyvips.Image.new_from_buffer(picture("jpg", 800, 800), "").copy()
    source.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Artist", "Secret Camera Owner")
    source.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Model", "Phone X")
    data = source.jpegsave_buffer()
    assert b"Secret Camera Owner" in data
    profile = set_now(profile_set_avatar, user, data)
    with default_storage.open(profile.avatar.name) as stored:
        out = stored.read()
    assert b"Secret Camera Owner" not in out
    assert b"Phone X" not in out
    assert not decode(out).get_typeof("exif-data")


def test_the_name_of_the_upload_is_never_used(user):
    upload = SimpleUploadedFile("../../etc/passwd.png", picture("png"), "image/png")
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = profile_set_avatar(user=user, upload=upload)
    name = Profile.objects.get(user=user).avatar.name
    assert "passwd" not in name
    assert ".." not in name
    assert "passwd" not in MediaAsset.objects.get(pk=asset.pk).original_key


def test_a_new_avatar_replaces_the_old_one_once_ready(user, run_on_commit):
    # A picture stored by the old in-process path goes once the new one is shown.
    legacy = default_storage.save("avatars/legacy.webp", io.BytesIO(picture("webp", 64, 64)))
    Profile.objects.filter(user=user).update(avatar=legacy)
    first = set_now(profile_set_avatar, user, picture("png")).avatar.name
    assert first.startswith("v/")
    assert not default_storage.exists(legacy)
    second = set_now(profile_set_avatar, user, picture("jpg", 700, 700)).avatar.name
    assert first != second
    # The earlier picture is a variant of its own asset: it stays with the asset.
    assert default_storage.exists(first)
    with run_on_commit():
        profile_remove_picture(user=user, field="avatar")
    assert Profile.objects.get(user=user).avatar.name == ""
    assert default_storage.exists(second)


def test_a_slow_earlier_upload_never_replaces_a_newer_one(user):
    from impasto.imaging.services import asset_process

    slow = profile_set_avatar(user=user, upload=io.BytesIO(picture("png", 600, 600)))
    newer = set_now(profile_set_avatar, user, picture("jpg", 700, 700)).avatar.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset_process(asset_id=slow.pk)
    assert MediaAsset.objects.get(pk=slow.pk).status == MediaAsset.Status.READY
    assert Profile.objects.get(user=user).avatar.name == newer


def truncated(kind: str) -> bytes:
    data = picture(kind, 800, 600)
    return data[: len(data) // 2]


HOSTILE = {
    "truncated png": (lambda: truncated("png"), "damaged or incomplete"),
    "truncated jpeg": (lambda: truncated("jpg"), "damaged or incomplete"),
    "truncated gif": (lambda: truncated("gif"), "damaged or incomplete"),
    "truncated webp": (lambda: truncated("webp"), "damaged or incomplete"),
    "pdf renamed .png": (
        lambda: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n",
        "This file is a PDF",
    ),
    "svg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "an SVG drawing",
    ),
    "tiff": (lambda: picture("tif", 64, 64), "upload a JPEG, PNG, WebP, GIF, AVIF or HEIC"),
    "20000x20000 png header": (
        lambda: png_header_only(20_000, 20_000),
        "20000 x 20000 pixels",
    ),
    "zero bytes": (lambda: b"", "empty"),
    "png signature then garbage": (
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20,
        "damaged or incomplete",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("setter", [profile_set_avatar, profile_set_banner])
def test_hostile_uploads_are_refused_with_a_message_and_nothing_stored(user, case, setter):
    make, message = HOSTILE[case]
    before = media_files() | private_files()
    with pytest.raises(ValidationError) as refused:
        setter(user=user, upload=io.BytesIO(make()))
    assert message in " ".join(refused.value.messages)
    assert media_files() | private_files() == before
    assert not MediaAsset.objects.exists()
    profile = Profile.objects.get(user=user)
    assert profile.avatar.name == profile.banner.name == ""


def test_files_over_the_size_cap_are_refused_before_decoding(user, monkeypatch):
    monkeypatch.setattr(pictures, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError, match="larger than"):
        profile_set_avatar(user=user, upload=io.BytesIO(picture("png", 300, 300)))
    # Even when the declared size lies, reading stops past the cap.
    with pytest.raises(ValidationError, match="larger than"):
        profile_set_avatar(user=user, upload=io.BytesIO(picture("png", 300, 300)), size=10)


# --- through the settings page ---------------------------------------------------------------


def upload(client, field, name, data, content_type="image/png"):
    return client.post(
        reverse("accounts:settings-picture", args=[field]),
        {f"{field}-picture": SimpleUploadedFile(name, data, content_type)},
    )


def test_uploading_an_avatar_from_the_settings_page(user_client, user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = upload(user_client, "avatar", "me.png", picture("png"))
    assert response.status_code == 302
    name = Profile.objects.get(user=user).avatar.name
    page = user_client.get(reverse("accounts:profile", args=[user.handle])).content.decode()
    assert name.rsplit("/", 1)[-1] in page


@pytest.mark.parametrize("case", ["pdf renamed .png", "20000x20000 png header", "zero bytes"])
def test_a_refused_upload_shows_the_reason_on_the_page(user_client, user, case):
    make, message = HOSTILE[case]
    before = media_files()
    response = upload(user_client, "banner", "innocent.png", make())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert media_files() == before


def test_only_avatar_and_banner_can_be_uploaded(user_client):
    assert upload(user_client, "password", "x.png", picture("png")).status_code == 404


def test_picture_urls_answer_only_while_the_account_is_public(client, user):
    profile = set_now(profile_set_avatar, user, picture("png"))
    key = profile.avatar.name.rsplit("/", 1)[-1]
    url = reverse("accounts:profile-picture", args=[user.handle, key])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert (
        client.get(reverse("accounts:profile-picture", args=[user.handle, "x.webp"])).status_code
        == 404
    )
    account_deletion_request(user=user)
    assert client.get(url).status_code == 404


def test_serving_a_picture_costs_one_query(client, user, django_assert_num_queries):
    profile = set_now(profile_set_avatar, user, picture("png"))
    url = reverse(
        "accounts:profile-picture", args=[user.handle, profile.avatar.name.rsplit("/", 1)[-1]]
    )
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
