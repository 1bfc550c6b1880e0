"""The perceptual-hash blocklist: the moderation flow's service, and matches on upload."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError
from PIL import Image, ImageOps

from impasto.protection.detection import Strength, Subject, Verdict, scan
from impasto.protection.detection.detectors.blocklist import BlocklistDetector
from impasto.protection.detection.hashing import hashes_of_bytes, hashes_of_image
from impasto.protection.detection.models import BlockedImageHash
from impasto.protection.detection.selectors import blocked_hash_matches
from impasto.protection.detection.services import blocked_hash_add, blocked_hash_remove
from tests.protection.detection import builders as b

pytestmark = pytest.mark.django_db


def _block(image: Image.Image, reason: str = "stolen", asset: str = "8123") -> BlockedImageHash:
    return blocked_hash_add(
        hashes=hashes_of_image(image), reason=reason, case_ref="case-41", asset_ref=asset
    )


def test_adding_the_same_removal_twice_keeps_one_row() -> None:
    first = _block(b.painting(1))
    again = _block(b.painting(1))
    assert first.pk == again.pk
    assert BlockedImageHash.objects.count() == 1
    assert first.pdq
    assert len(first.pdq) == 64
    assert len(first.phash) == 16
    assert (first.reason, first.case_ref, first.asset_ref) == ("stolen", "case-41", "8123")


def test_the_database_refuses_duplicates_too() -> None:
    blocked = _block(b.painting(1))
    with pytest.raises(IntegrityError):
        BlockedImageHash.objects.create(
            phash=blocked.phash, pdq=blocked.pdq, reason="stolen", asset_ref="8123"
        )


def test_removing_by_asset_unblocks_it() -> None:
    _block(b.painting(1), asset="1")
    _block(b.painting(2), asset="2")
    assert blocked_hash_remove(asset_ref="1") == 1
    assert list(BlockedImageHash.objects.values_list("asset_ref", flat=True)) == ["2"]
    with pytest.raises(ValueError, match="asset_ref is required"):
        blocked_hash_remove(asset_ref="")


def test_a_recompressed_half_size_reupload_is_sent_to_review(django_assert_num_queries) -> None:
    _block(b.painting(1, 768), reason="ai")
    copy = b.encode(b.painting(1, 768).resize((384, 384)), "JPEG", quality=60)
    with django_assert_num_queries(2):  # the upload and its mirror image, one query each
        found = list(BlocklistDetector().detect(Subject(copy)))
    (evidence,) = found
    assert evidence.strength is Strength.WEAK
    assert evidence.detail.startswith("looks like a work removed as AI-generated: PDQ distance ")
    assert evidence.detail.endswith("(case case-41, asset 8123)")
    assert scan(copy).verdict == Verdict.REVIEW


def test_a_mirrored_copy_is_caught() -> None:
    _block(b.painting(4, 512))
    mirrored = b.encode(ImageOps.mirror(b.painting(4, 512)), "PNG")
    result = scan(mirrored)
    assert result.verdict == Verdict.REVIEW
    assert "(mirrored)" in result.evidence[0].detail


def test_unrelated_pictures_pass() -> None:
    for seed in range(1, 6):
        _block(b.painting(seed), asset=str(seed))
    assert scan(b.encode(b.painting(99), "PNG")).verdict == Verdict.CLEAR
    assert scan(b.camera_jpeg()).verdict == Verdict.CLEAR


def test_a_flat_picture_matches_on_phash_alone() -> None:
    blocked = _block(b.flat(400, (30, 60, 90)))
    assert blocked.pdq == ""  # PDQ's quality gate: too flat to mean anything
    matches = blocked_hash_matches(hashes=hashes_of_image(b.flat(200, (30, 60, 90))))
    assert [(m.blocked.pk, m.hash_name) for m in matches] == [(blocked.pk, "pHash")]


def test_hashing_from_bytes_and_from_a_picture_agree() -> None:
    data = b.encode(b.painting(5, 1024), "JPEG", quality=90)
    from_bytes = hashes_of_bytes(data)
    from_image = hashes_of_image(Image.open(io.BytesIO(data)))
    assert from_bytes.phash == from_image.phash


def test_a_large_upload_is_matched_from_a_reduced_decode() -> None:
    """The detector hashes a preview: a 4000 px JPEG is decoded at a reduced DCT scale, still
    matches its blocked original, and the full-size frame is never decoded."""
    picture = b.painting(6, 500).resize((4000, 4000), Image.Resampling.BICUBIC)
    _block(picture)
    subject = Subject(b.encode(picture, "JPEG", quality=85))
    preview = subject.preview(512)
    assert max(preview.size) == 512
    (evidence,) = BlocklistDetector().detect(subject)
    assert evidence.detail.startswith("looks like a work removed as stolen")
    assert "_pixels" not in subject.__dict__  # nothing held the 16-megapixel frame


def test_a_preview_reuses_pixels_another_detector_decoded(monkeypatch) -> None:
    data = b.encode(b.painting(7, 800), "PNG")
    fresh = Subject(data).preview(200)
    subject = Subject(data)
    subject.pixels()

    def no_second_decode() -> None:
        raise AssertionError("decoded the file again")

    monkeypatch.setattr(subject, "open", no_second_decode)
    reused = subject.preview(200)
    assert reused.size == (200, 200)
    assert reused.tobytes() == fresh.tobytes()  # the same picture either way
