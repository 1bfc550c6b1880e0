"""A hostile-input corpus made by code: each file gets a clear 4xx and nothing is stored."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from impasto.imaging.models import MediaAsset
from tests.imaging import images
from tests.imaging.conftest import stored_files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 20_000) -> bytes:
    """A tiny PNG whose header claims side x side pixels of zeros (about 1 MB compressed)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    row = b"\x00" * (side + 1)
    raw = zlib.compress(row * 200, 9)  # enough data for libvips to start; never decoded
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", raw)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_huge_exif() -> bytes:
    base = images.jpeg(64, 64)
    segment = b"\xff\xe1" + struct.pack(">H", 65535) + b"Exif\x00\x00" + b"\x00" * (65535 - 8)
    return base[:2] + segment * 20 + base[2:]  # about 1.3 MB of APP1


def gif_many_frames(count: int = 2000) -> bytes:
    frames = [Image.new("RGB", (2, 2), (i % 256, i // 256, 0)) for i in range(count)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=10)
    return buffer.getvalue()


def pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buffer, format="PDF")
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
HTML_AS_GIF = b"GIF89a/*<html><script>alert(document.domain)</script>*/=1;"
PNG_HEADER_THEN_HTML = b"\x89PNG\r\n\x1a\n<html><body><script>alert(1)</script></body></html>"
TIFF = b"II*\x00" + b"\x08\x00\x00\x00" + b"\x00" * 64


def truncated_jpeg() -> bytes:
    data = images.jpeg(400, 300)
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = images.png(300, 200)
    return data[: len(data) - 40]


def jpeg_with_zip_appended() -> bytes:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return images.jpeg(300, 200) + buffer.getvalue()


def corrupt_png_header() -> bytes:
    data = bytearray(images.png(200, 100))
    data[16:24] = b"\xff" * 8  # IHDR width/height garbage
    return bytes(data)


CORPUS = [
    ("zero-bytes", lambda: b"", "empty", 422),
    ("pdf-renamed-png", pdf, "unsupported_format", 415),
    ("svg-renamed-png", lambda: SVG, "unsupported_format", 415),
    ("tiff", lambda: TIFF, "unsupported_format", 415),
    (
        "html-renamed-jpg",
        lambda: b"<!doctype html><html><script>alert(1)</script></html>",
        "unsupported_format",
        415,
    ),
    ("gif-javascript-polyglot", lambda: HTML_AS_GIF, "damaged", 422),
    ("png-header-then-html", lambda: PNG_HEADER_THEN_HTML, "damaged", 422),
    ("jpeg-with-zip-appended", jpeg_with_zip_appended, "damaged", 422),
    ("png-decompression-bomb", png_bomb, "too_many_pixels", 422),
    ("jpeg-huge-exif", jpeg_huge_exif, "too_much_metadata", 422),
    ("gif-thousands-of-frames", gif_many_frames, "too_many_frames", 422),
    ("truncated-jpeg", truncated_jpeg, "damaged", 422),
    ("truncated-png", truncated_png, "damaged", 422),
    ("corrupt-png-header", corrupt_png_header, "damaged", 422),
]
NAMES = ["../../etc/passwd.png", "evil.png\x00.html", "CON.jpg", "a" * 300 + ".png", "image.jpg"]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "code", "status"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_upload_is_refused_and_nothing_stored(
    user_client, tmp_path, label, make, code, status
):
    data = make()
    for name in NAMES[:2]:
        response = user_client.post(
            reverse("imaging:api-upload"),
            {"file": SimpleUploadedFile(name, data, content_type="image/png")},
        )
        assert response.status_code == status, (label, response.content)
        error = response.json()["error"]
        assert error["code"] == code
        assert error["message"]
        assert "Traceback" not in error["message"]
    assert MediaAsset.objects.count() == 0
    assert stored_files(tmp_path / "private") == []
    assert stored_files(tmp_path / "media") == []


@pytest.mark.django_db
def test_pdf_message_names_the_file_kind(user_client):
    response = user_client.post(
        reverse("imaging:api-upload"), {"file": SimpleUploadedFile("art.png", pdf())}
    )
    assert response.json()["error"]["message"] == (
        "This file is a PDF; upload a JPEG, PNG, WebP, GIF, AVIF or HEIC image."
    )


@pytest.mark.django_db
def test_file_over_the_size_cap_is_413(user_client, settings, tmp_path):
    settings.IMPASTO_UPLOAD_MAX_BYTES = 100_000
    big = images.png(900, 900)
    assert len(big) > 100_000
    response = user_client.post(
        reverse("imaging:api-upload"), {"file": SimpleUploadedFile("big.png", big)}
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]["message"]
    raw = user_client.post(reverse("imaging:api-upload"), data=big, content_type="image/png")
    assert raw.status_code == 413
    assert MediaAsset.objects.count() == 0
    assert stored_files(tmp_path / "private") == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_path_tricks_in_file_names_never_reach_storage(user_client, tmp_path, name):
    response = user_client.post(
        reverse("imaging:api-upload"),
        {"file": SimpleUploadedFile(name, images.jpeg(300, 200))},
    )
    assert response.status_code == 201, response.content
    stored = stored_files(tmp_path / "private")
    assert len(stored) == 1
    assert stored[0].parent == tmp_path / "private" / "originals"
    assert "passwd" not in stored[0].name
    assert "html" not in stored[0].name


def test_acceptance_memory_is_bounded_for_the_whole_corpus(tmp_path: Path):
    """Reading every hostile header happens in a fresh process whose peak RSS stays small."""
    import subprocess
    import sys

    for label, make, _code, _status in CORPUS:
        assert callable(make)
        (tmp_path / f"{label}.bin").write_bytes(make())
    script = (
        "import os, resource, sys, django, pathlib\n"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.test_settings'\n"
        "django.setup()\n"
        "from impasto.imaging.acceptance import inspect_file, UploadRefused\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.bin')):\n"
        "    try: inspect_file(path)\n"
        "    except UploadRefused: pass\n"
        "    else: raise SystemExit(f'accepted {path.name}')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    grown_kib = int(result.stdout.strip().splitlines()[-1])
    assert grown_kib < 150 * 1024, f"acceptance grew RSS by {grown_kib} KiB"
