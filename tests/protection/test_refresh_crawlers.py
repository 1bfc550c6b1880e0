"""``impasto refresh_crawlers FILE``, run on a copy of the shipped list."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from impasto.protection.crawlers import DATA_FILE, NOTE_FILE


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped list and its note, for the command to replace."""
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copyfile(DATA_FILE, directory / DATA_FILE.name)
    shutil.copyfile(NOTE_FILE, directory / NOTE_FILE.name)
    return directory / DATA_FILE.name


def newer_upstream(tmp_path: Path) -> tuple[Path, bytes]:
    data = json.loads(DATA_FILE.read_bytes())
    del data["CCBot"]
    data["PaintGrabber"] = {
        "operator": "Example Corp",
        "respect": "No",
        "function": "Scrapes images to train image generators.",
        "frequency": "Daily",
        "description": "Downloads artwork for diffusion model training datasets.",
    }
    raw = json.dumps(data, indent=4).encode()
    path = tmp_path / "robots.json"
    path.write_bytes(raw)
    return path, raw


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("refresh_crawlers", *args, stdout=out)
    return out.getvalue()


def test_a_newer_list_replaces_the_old_one_and_the_note_records_it(
    tmp_path: Path, shipped: Path
) -> None:
    source, raw = newer_upstream(tmp_path)
    output = run(str(source), "--list-file", str(shipped), "--commit", "0123456789abcdef")
    assert "+ PaintGrabber  (training)" in output
    assert "- CCBot" in output
    assert shipped.read_bytes() == raw  # byte for byte
    note = (shipped.parent / "README.md").read_text()
    assert f"`{hashlib.sha256(raw).hexdigest()}`" in note
    assert "upstream commit `0123456789abcdef`" in note
    assert f"- Copied: {datetime.date.today().isoformat()}" in note
    assert f"- Entries: {len(json.loads(raw))}" in note
    assert "MIT" in note  # the attribution above the snapshot block is kept
    assert DATA_FILE.read_bytes() != raw  # the shipped list itself was not touched


def test_a_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path, shipped: Path) -> None:
    before = shipped.read_bytes()
    source, _ = newer_upstream(tmp_path)
    output = run(str(source), "--list-file", str(shipped), "--dry-run")
    assert "+ PaintGrabber" in output
    assert "nothing written" in output
    assert shipped.read_bytes() == before


def test_the_same_copy_changes_nothing(shipped: Path) -> None:
    output = run(str(DATA_FILE), "--list-file", str(shipped))
    assert "already this copy" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>404</html>", "not UTF-8 JSON"),
        (b'["GPTBot"]', "must be a JSON object"),
        (json.dumps({"Bad\nUser-agent: *": {}}).encode(), "not a user-agent product token"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_and_nothing_changes(
    tmp_path: Path, shipped: Path, content: bytes, message: str
) -> None:
    before = shipped.read_bytes()
    source = tmp_path / "robots.json"
    source.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(source), "--list-file", str(shipped))
    assert shipped.read_bytes() == before


def test_a_missing_file_and_a_bad_commit_are_explained(tmp_path: Path, shipped: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "nope.json"), "--list-file", str(shipped))
    with pytest.raises(CommandError, match="not a git commit hash"):
        run(str(DATA_FILE), "--list-file", str(shipped), "--commit", "main; rm -rf /")


def test_the_crawlers_command_lists_categories_and_verdicts() -> None:
    out = io.StringIO()
    call_command("crawlers", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split() == ["GPTBot", "training", "refused"] for line in lines)
    assert any(line.split() == ["facebookexternalhit", "link_preview", "allowed"] for line in lines)
    assert lines[-1].startswith(f"{len(json.loads(DATA_FILE.read_bytes()))} tokens:")
