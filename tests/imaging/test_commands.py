"""`impasto protect` and `impasto verify`, and the owners' verify page."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from impasto.imaging.models import MediaAsset
from tests.imaging import images
from tests.imaging.test_hostile import pdf

pytestmark = pytest.mark.django_db(transaction=True)


def _verify(path: Path) -> dict[str, Any]:
    out = io.StringIO()
    call_command("verify", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_protect_then_verify_reports_owner_rights_and_valid_manifest(user, tmp_path):
    source = tmp_path / "in.png"
    source.write_bytes(images.png(2400, 1600))
    dest = tmp_path / "out.jpg"
    out = io.StringIO()
    call_command("protect", str(source), str(dest), "--owner", user.handle, stdout=out)
    written = json.loads(out.getvalue())
    assert dest.read_bytes()[:3] == b"\xff\xd8\xff"
    report = _verify(dest)
    assert report["watermark"]["found"] is True
    assert report["watermark"]["asset_id"] == written["identity"]
    assert report["rights"]["creator"] == user.name
    assert report["rights"]["data_mining"].endswith("DMI-PROHIBITED-AIMLTRAINING")
    assert report["c2pa"]["validation_state"] == "Valid"
    assert report["c2pa"]["validation_status"] == ["signingCredential.untrusted"]
    assert set(report["c2pa"]["training_mining"].values()) == {"notAllowed"}


def test_watermark_survives_half_size_and_jpeg_75_in_every_format(user_client, user, tmp_path):
    response = user_client.post(
        reverse("imaging:api-upload"), {"file": SimpleUploadedFile("a.png", images.png(2400, 1600))}
    )
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    from django.core.files.storage import storages

    recovered = 0
    variants = list(asset.variants.filter(width__in=[2048, 1080]))
    for variant in variants:
        with storages["default"].open(variant.key, "rb") as handle:
            data = handle.read()
        scraped = pyvips.Image.new_from_buffer(data, "").resize(0.5).jpegsave_buffer(Q=75)
        path = tmp_path / f"scraped-{variant.pk}.jpg"
        path.write_bytes(scraped)
        report = _verify(path)
        if report["watermark"]["asset_id"] == str(asset.pk):
            recovered += 1
            assert report["watermark"]["known"] is True
            assert report["watermark"]["artist"]["handle"] == user.handle
        assert report["c2pa"]["present"] is False  # a re-encode strips metadata; the mark stays
    assert recovered == len(variants) == 6


def test_protect_refuses_like_an_upload_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "doc.png"
    source.write_bytes(pdf())
    dest = tmp_path / "out.jpg"
    with pytest.raises(SystemExit) as exit_info:
        call_command("protect", str(source), str(dest))
    assert exit_info.value.code == 2
    assert (
        "This file is a PDF; upload a JPEG, PNG, WebP, GIF, AVIF or HEIC image."
        in capsys.readouterr().err
    )
    assert not dest.exists()


def test_verify_of_an_unmarked_file_finds_nothing(tmp_path):
    path = tmp_path / "plain.jpg"
    path.write_bytes(images.jpeg(800, 600))
    report = _verify(path)
    assert report["watermark"]["found"] is False
    assert report["c2pa"]["present"] is False
    assert report["rights"] == {}


def test_verify_page_gives_owners_the_same_report(user_client, user, tmp_path):
    source = tmp_path / "in.jpg"
    source.write_bytes(images.jpeg(1200, 800))
    dest = tmp_path / "out.webp"
    call_command("protect", str(source), str(dest), "--owner", user.handle, stdout=io.StringIO())
    response = user_client.post(
        reverse("imaging:verify-submit"),
        {"file": SimpleUploadedFile("copy.webp", dest.read_bytes())},
    )
    assert response.status_code == 200
    assert b"DMI-PROHIBITED-AIMLTRAINING" in response.content
    assert b"Valid" in response.content
    refused = user_client.post(
        reverse("imaging:verify-submit"), {"file": SimpleUploadedFile("x.png", pdf())}
    )
    assert refused.status_code == 415
    assert b"This file is a PDF" in refused.content


def test_visible_watermark_is_drawn_when_enabled(user_client, user):
    response = user_client.post(
        reverse("imaging:watermark"),
        {"enabled": "on", "text": "© <b>Mira</b>", "position": "bottom-right", "opacity": "80"},
    )
    assert response.status_code == 302
    flat = (
        pyvips.Image.black(1200, 800)
        .new_from_image([40, 40, 40])
        .cast("uchar")
        .copy(interpretation="srgb")
    )
    upload = user_client.post(
        reverse("imaging:api-upload"),
        {"file": SimpleUploadedFile("a.png", bytes(flat.pngsave_buffer()))},
    )
    asset = MediaAsset.objects.get(pk=int(upload.json()["id"]))
    variant = asset.variants.get(format="jpeg", width=1080)
    from django.core.files.storage import storages

    with storages["default"].open(variant.key, "rb") as handle:
        image = pyvips.Image.new_from_buffer(handle.read(), "")
    corner = image.crop(
        image.width // 2, image.height * 3 // 4, image.width // 2, image.height // 4
    )
    top = image.crop(0, 0, image.width // 2, image.height // 4)
    assert corner.max() > 200  # white text drawn bottom right
    assert top.max() < 90
