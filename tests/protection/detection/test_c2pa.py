"""C2PA specifics: every manifest walked, the validation state reported, reading offline."""

from __future__ import annotations

import pytest

from impasto.protection.detection.base import Strength
from impasto.protection.detection.detectors.c2pa import C2paDetector
from impasto.protection.detection.subject import Subject
from tests.protection.detection import builders as b


@pytest.fixture(scope="module")
def ai_jpeg() -> bytes:
    return b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia", agent="FakeGen 1.0"))


def test_an_untrusted_signer_is_reported_valid_but_untrusted(ai_jpeg) -> None:
    (found,) = C2paDetector().detect(Subject(ai_jpeg))
    assert found.strength is Strength.STRONG
    assert found.detail.startswith("AI (declared): c2pa.created")
    assert "by FakeGen 1.0 in the active manifest urn:c2pa:" in found.detail
    assert "signed by Impasto tests" in found.detail
    assert found.detail.endswith("validation Valid (signingCredential.untrusted)")


def test_configured_trust_anchors_make_the_signer_trusted(ai_jpeg, tmp_path) -> None:
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(b.signing_chain().ca_pem)
    (found,) = C2paDetector(trust_anchors=anchors).detect(Subject(ai_jpeg))
    assert found.detail.endswith("validation Trusted")


def test_a_tampered_file_still_declares_ai_and_says_invalid(ai_jpeg) -> None:
    tampered = bytearray(ai_jpeg)
    tampered[-200] ^= 0x55  # inside the JPEG scan data, outside the manifest
    (found,) = C2paDetector().detect(Subject(bytes(tampered)))
    assert found.strength is Strength.STRONG
    assert "validation Invalid (assertion.dataHash.mismatch" in found.detail


def test_the_ai_action_in_an_ingredient_is_found_under_a_human_edit(ai_jpeg) -> None:
    edited = b.c2pa_opened_from(ai_jpeg)
    found = list(C2paDetector().detect(Subject(edited)))
    assert [e.strength for e in found] == [Strength.STRONG]
    assert "in the ingredient manifest" in found[0].detail


def test_human_manifests_report_nothing() -> None:
    for data in (b.c2pa_capture_jpeg(), b.c2pa_digital_creation_png()):
        assert list(C2paDetector().detect(Subject(data))) == []


def test_files_without_c2pa_are_not_handed_to_the_reader() -> None:
    detector = C2paDetector()
    assert detector.read_store(Subject(b.plain_png())) is None
    assert detector.read_store(Subject(b.camera_jpeg())) is None


def test_a_damaged_manifest_is_a_detector_error_not_a_verdict(ai_jpeg) -> None:
    from impasto.protection.detection.base import DetectorError

    start = ai_jpeg.index(b"\xff\xeb")  # the APP11 segment holding the JUMBF store
    damaged = bytearray(ai_jpeg)
    damaged[start + 200] ^= 0xFF
    with pytest.raises(DetectorError, match="unreadable C2PA data"):
        list(C2paDetector().detect(Subject(bytes(damaged))))


def test_a_remote_manifest_reference_is_never_fetched(httpserver) -> None:
    """c2pa's default would GET the URL the file names (tried: it does); ours must not."""
    httpserver.expect_request("/c2pa/manifest.c2pa").respond_with_data(b"", status=404)
    url = httpserver.url_for("/c2pa/manifest.c2pa")
    xmp = b.xmp_packet({"xmlns:dcterms": "http://purl.org/dc/terms/", "dcterms:provenance": url})
    found = list(C2paDetector().detect(Subject(b.with_xmp(xmp))))
    assert found == []
    assert httpserver.log == []
