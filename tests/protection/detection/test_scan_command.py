"""``impasto scan FILE...``: JSON Lines on stdout, exit status 0 or 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from config.env import BASE_DIR
from impasto.protection.detection.hashing import hashes_of_image
from impasto.protection.detection.services import blocked_hash_add
from tests.protection.detection import builders as b


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A mixed folder: AI files, human files, a weak case, a re-upload of a removed work."""
    files = {
        "ai-a1111.png": b.a1111_png(),
        "ai-c2pa.jpg": b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia")),
        "ai-sdxl.png": b.encode(b.watermarked(b.SDXL_BITS), "PNG"),
        "camera.jpg": b.camera_jpeg(),
        "krita.png": b.krita_png(),
        "review-software.png": b.png_with_text({"Software": "Midjourney"}),
        "stolen-copy.jpg": b.encode(b.painting(21, 512).resize((256, 256)), "JPEG", quality=70),
        "random.bin": os.urandom(4096),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "a-directory").mkdir()
    return tmp_path


def _lines(output: str) -> dict[str, dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines()]
    return {Path(str(line["file"])).name: line for line in lines}


@pytest.mark.django_db
def test_scan_prints_one_json_object_per_file_and_exits_2_on_unreadable(folder) -> None:
    blocked_hash_add(hashes=hashes_of_image(b.painting(21, 512)), reason="stolen", asset_ref="77")
    names = [*sorted(p.name for p in folder.iterdir()), "missing.png"]
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("scan", *(str(folder / name) for name in names), stdout=out)
    assert raised.value.returncode == 2
    assert "3 file(s) could not be read" in str(raised.value)

    output = out.getvalue()
    assert len(output.splitlines()) == len(names)
    lines = _lines(output)
    assert list(lines) == names  # one line per argument, in order
    verdicts = {name: line["verdict"] for name, line in lines.items()}
    assert verdicts == {
        "a-directory": None,
        "ai-a1111.png": "ai",
        "ai-c2pa.jpg": "ai",
        "ai-sdxl.png": "ai",
        "camera.jpg": "clear",
        "krita.png": "clear",
        "missing.png": None,
        "random.bin": None,
        "review-software.png": "review",
        "stolen-copy.jpg": "review",
    }
    assert lines["a-directory"]["error"] == "is a directory"
    assert lines["missing.png"]["error"] == "no such file"
    assert str(lines["random.bin"]["error"]).startswith("not an image in an accepted format")
    for name in ("camera.jpg", "krita.png"):
        assert lines[name] == {"file": str(folder / name), "verdict": "clear", "evidence": []}
    (stolen,) = lines["stolen-copy.jpg"]["evidence"]
    assert stolen["signal"] == "perceptual-hash-match"
    assert stolen["strength"] == "weak"
    for line in lines.values():
        assert set(line) <= {"file", "verdict", "evidence", "error"}
        for item in line["evidence"]:
            assert set(item) == {"signal", "detail", "strength"}
            assert item["strength"] in {"strong", "weak"}


@pytest.mark.django_db
def test_scan_succeeds_when_every_file_was_read(folder) -> None:
    out = io.StringIO()
    call_command("scan", str(folder / "camera.jpg"), str(folder / "ai-a1111.png"), stdout=out)
    assert [line["verdict"] for line in _lines(out.getvalue()).values()] == ["clear", "ai"]


def test_the_impasto_command_exits_with_status_2_when_a_file_is_unreadable(folder) -> None:
    """The real console entry point in a child process (exit 0 is the call_command test)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.protection.detection.cli_settings",
        "PYTHONPATH": str(BASE_DIR),
    }
    files = [folder / "ai-c2pa.jpg", folder / "krita.png", folder / "missing.png"]
    done = subprocess.run(
        [sys.executable, "-m", "impasto.cli", "scan", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=BASE_DIR,
    )
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(line["verdict"], line.get("error")) for line in lines] == [
        ("ai", None),
        ("clear", None),
        (None, "no such file"),
    ]
    assert "1 file(s) could not be read" in done.stderr


@pytest.mark.django_db
def test_misconfigured_detectors_stop_the_command_with_a_message() -> None:
    with (
        override_settings(DETECTORS=[{"BACKEND": "impasto.nowhere.Detector"}]),
        pytest.raises(CommandError, match="detectors misconfigured: DETECTORS: cannot import"),
    ):
        call_command("scan", "whatever.png", stdout=io.StringIO())
