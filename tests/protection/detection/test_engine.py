"""The scan engine: detectors from settings, failures as evidence, bounds, sources."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import ClassVar

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from PIL import Image

from impasto.protection.detection import (
    Detector,
    DetectorError,
    Evidence,
    Strength,
    Subject,
    UnreadableImage,
    Verdict,
    get_detectors,
    scan,
)
from impasto.protection.detection.base import ERROR_SIGNAL, weak
from tests.protection.detection import builders as b

HERE = "tests.protection.detection.test_engine"


class Crashing(Detector):
    name = "crashing"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        raise ZeroDivisionError("parser bug")


class Refusing(Detector):
    name = "refusing"

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        raise DetectorError("service said no")


class Recording(Detector):
    """A costly detector: counts its calls."""

    name = "recording"
    skip_when_strong = True
    calls: ClassVar[list[str]] = []

    def __init__(self, *, label: str = "recording") -> None:
        self.label = label

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        Recording.calls.append(subject.name)
        return [weak("classifier-score", self.label)]


def _config(*names: str, **options: object) -> list[dict[str, object]]:
    return [
        {"BACKEND": name if "." in name else f"{HERE}.{name}", "OPTIONS": options.get(name, {})}
        for name in names
    ]


GENERATORS = "impasto.protection.detection.detectors.generators.GeneratorParametersDetector"


@pytest.fixture(autouse=True)
def _reset_recording() -> None:
    Recording.calls.clear()


def test_a_crashing_detector_becomes_error_evidence_and_the_others_still_run(caplog) -> None:
    with override_settings(DETECTORS=_config("Crashing", "Refusing", GENERATORS)):
        result = scan(b.a1111_png(), name="upload.png")
    assert result.verdict == Verdict.AI
    errors = {e.detail for e in result.errors}
    assert errors == {"crashing: ZeroDivisionError: parser bug", "refusing: service said no"}
    assert all(e.strength is None for e in result.errors)
    assert "detector crashing failed on upload.png" in caplog.text


def test_errors_alone_neither_hold_nor_flag_a_work() -> None:
    with override_settings(DETECTORS=_config("Crashing")):
        result = scan(b.plain_png())
    assert result.verdict == Verdict.CLEAR
    assert [e.signal for e in result.evidence] == [ERROR_SIGNAL]
    assert result.as_dict()["evidence"][0]["strength"] is None


def test_costly_detectors_are_skipped_once_a_strong_signal_is_found() -> None:
    with override_settings(DETECTORS=_config(GENERATORS, "Recording")):
        held = scan(b.a1111_png(), name="ai.png")
        clear = scan(b.plain_png(), name="plain.png")
    assert Recording.calls == ["plain.png"]
    assert [e.signal for e in held.evidence] == ["generator-parameters"]
    assert clear.verdict == Verdict.REVIEW


def test_detectors_are_built_once_and_rebuilt_when_settings_change() -> None:
    with override_settings(DETECTORS=_config("Recording", Recording={"label": "one"})):
        first = get_detectors()
        assert get_detectors() is first
        assert isinstance(first[0], Recording)
        assert first[0].label == "one"
    with override_settings(DETECTORS=_config("Recording", Recording={"label": "two"})):
        (rebuilt,) = get_detectors()
        assert isinstance(rebuilt, Recording)
        assert rebuilt.label == "two"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ([{"BACKEND": "impasto.nowhere.Detector"}], "cannot import impasto.nowhere.Detector"),
        ([{"BACKEND": "io.BytesIO"}], "io.BytesIO is not a Detector"),
        ([{"OPTIONS": {}}], "without a BACKEND"),
        (
            [{"BACKEND": f"{HERE}.Recording", "OPTIONS": {"colour": "red"}}],
            "unexpected keyword argument 'colour'",
        ),
        (
            [
                {
                    "BACKEND": "impasto.protection.detection.detectors.c2pa.C2paDetector",
                    "OPTIONS": {"trust_anchors": "/nonexistent/anchors.pem"},
                }
            ],
            "C2PA trust anchors /nonexistent/anchors.pem",
        ),
    ],
)
def test_a_wrong_configuration_fails_the_system_check(config, message) -> None:
    with override_settings(DETECTORS=config):
        errors = [m for m in run_checks() if m.id == "protection.E101"]
    assert len(errors) == 1
    assert message in errors[0].msg


def test_the_default_configuration_passes_the_check() -> None:
    assert not [m for m in run_checks() if m.id == "protection.E101"]


@pytest.mark.django_db
def test_scan_reads_paths_file_objects_and_bytes(tmp_path) -> None:
    data = b.a1111_png()
    path = tmp_path / "upload.bin"  # the name says nothing: the bytes decide
    path.write_bytes(data)
    for source in (path, str(path), io.BytesIO(data), data, memoryview(data)):
        assert scan(source).verdict == Verdict.AI


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, id="broken-png"),
        pytest.param(b"GIF89a", id="truncated-gif"),
        pytest.param(b"%PDF-1.7\n" + b"x" * 100, id="pdf"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", id="svg"),
    ],
)
def test_what_is_not_an_accepted_image_is_unreadable(data) -> None:
    with pytest.raises(UnreadableImage, match="not an image in an accepted format"):
        scan(data)


def test_formats_outside_the_upload_allowlist_are_unreadable() -> None:
    with pytest.raises(UnreadableImage):
        scan(b.encode(b.painting(1, 64), "TIFF"))
    with pytest.raises(UnreadableImage):
        scan(b.encode(b.painting(1, 64), "BMP"))


def test_more_pixels_than_pillow_ever_opens_is_unreadable() -> None:
    header_only = b.encode(Image.new("1", (20000, 10000)), "PNG", optimize=True)
    with pytest.raises(UnreadableImage, match="more pixels"):
        scan(header_only)


def test_files_over_the_byte_cap_are_refused_unread(tmp_path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(b.plain_png())
    with override_settings(DETECTION_MAX_BYTES=1000), pytest.raises(UnreadableImage, match="1000"):
        scan(path)


def test_missing_files_and_directories_are_unreadable(tmp_path) -> None:
    with pytest.raises(UnreadableImage, match="no such file"):
        scan(tmp_path / "missing.png")
    with pytest.raises(UnreadableImage, match="is a directory"):
        scan(tmp_path)


@pytest.mark.django_db
def test_a_pixel_bomb_is_scanned_without_decoding_its_pixels() -> None:
    """A 12000 x 12000 PNG is a few hundred kilobytes and 576 MB decoded: never decoded."""
    bomb = b.encode(Image.new("L", (12000, 12000)), "PNG", optimize=True)
    assert len(bomb) < 1 << 20
    subject = Subject(bomb, max_pixels=50_000_000)
    from impasto.protection.detection.engine import scan_subject

    result = scan_subject(subject)
    assert result.verdict == Verdict.CLEAR
    assert result.evidence == ()
    assert "_pixels" not in vars(subject)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_hostile_metadata_does_not_crash_the_scan() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&lol2;</x:xmpmeta>'
    )
    cases = [
        (b.with_xmp(laughs), Verdict.CLEAR),
        (b.with_xmp(b"\x00\xff not xml at all <<<"), Verdict.CLEAR),
        (b.jpeg_with_exif({"Exif": {37510: b"\x00" * 3}}), Verdict.CLEAR),  # short UserComment
        (b.png_with_text({"Comment": "{" * 5000}), Verdict.CLEAR),  # deep JSON
        (b.png_with_text({"prompt": "[" * 100_000}), Verdict.REVIEW),  # a keyword, no graph
    ]
    for data, verdict in cases:
        result = scan(data)
        assert result.verdict == verdict, result.evidence
        assert not result.errors, result.errors


@pytest.mark.django_db
def test_an_xmp_packet_that_is_not_well_formed_is_still_read() -> None:
    packet = b.xmp_source_type("trainedAlgorithmicMedia")
    broken = packet.replace(b"</rdf:RDF>", b"")  # unbalanced
    result = scan(b.with_xmp(broken))
    assert result.verdict == Verdict.AI
    assert {e.strength for e in result.evidence} == {Strength.STRONG}
