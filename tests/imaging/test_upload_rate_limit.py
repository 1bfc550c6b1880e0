"""Uploads are rate-limited per account on every route (``asset_upload``): past the burst, a
refusal with 429 and Retry-After, and nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from impasto.accounts.models import User
from impasto.api.services import token_create
from impasto.imaging.acceptance import UploadRefused
from impasto.imaging.models import MediaAsset
from impasto.imaging.services import AssetInUse, asset_delete, asset_upload
from impasto.protection import ratelimit
from tests.api.conftest import bearer
from tests.imaging import images
from tests.imaging.conftest import stored_files
from tests.imaging.test_pipeline import upload
from tests.protection.conftest import FakeClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_uploads(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[FakeClock]:
    """A bucket of two uploads, one more every 30 s, on a clock the test moves."""
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    limits = {**settings.RATE_LIMITS, "uploads": {"capacity": 2, "refill_per_second": 1 / 30}}
    with override_settings(RATE_LIMITS=limits):
        yield clock


def _image(tmp_path: Path, n: int) -> Path:
    path = tmp_path / f"work-{n}.jpg"
    path.write_bytes(images.jpeg(320 + n, 240))
    return path


def test_the_third_upload_is_refused_and_nothing_is_stored(
    two_uploads: FakeClock, user: User, other_user: User, tmp_path: Path
) -> None:
    first, _ = asset_upload(owner=user, path=_image(tmp_path, 1), idempotency_key="one")
    asset_upload(owner=user, path=_image(tmp_path, 2))
    files = stored_files(tmp_path / "private")
    with pytest.raises(UploadRefused) as refused:
        asset_upload(owner=user, path=_image(tmp_path, 3))
    assert refused.value.status == 429
    assert refused.value.retry_after == 30
    assert "Try again in 1 minute" in refused.value.message
    assert MediaAsset.objects.filter(owner=user).count() == 2
    assert stored_files(tmp_path / "private") == files
    # A retry of a stored upload spends nothing; another account has its own bucket.
    again, created = asset_upload(owner=user, path=_image(tmp_path, 1), idempotency_key="one")
    assert (again.pk, created) == (first.pk, False)
    asset_upload(owner=other_user, path=_image(tmp_path, 4))
    # The platform's own uploads (demo content) are not counted.
    asset_upload(owner=user, path=_image(tmp_path, 5), rate_limited=False)
    two_uploads.advance(30)
    asset_upload(owner=user, path=_image(tmp_path, 6))
    with pytest.raises(UploadRefused):
        asset_upload(owner=user, path=_image(tmp_path, 7))


def test_a_refused_file_spends_a_token_too(
    two_uploads: FakeClock, user: User, tmp_path: Path
) -> None:
    """Decoding is what costs: a stream of bad files is throttled like good ones."""
    bad = tmp_path / "not-an-image.jpg"
    bad.write_bytes(b"GIF89a" + b"\0" * 64)
    for _ in range(2):
        with pytest.raises(UploadRefused) as refused:
            asset_upload(owner=user, path=bad)
        assert refused.value.status != 429
    with pytest.raises(UploadRefused) as refused:
        asset_upload(owner=user, path=_image(tmp_path, 1))
    assert refused.value.status == 429


def test_web_and_api_answer_429_with_retry_after(
    two_uploads: FakeClock, user_client: Client, user: User
) -> None:
    assert upload(user_client, images.jpeg(300, 200)).status_code == 201
    assert upload(user_client, images.jpeg(301, 200)).status_code == 201
    web = upload(user_client, images.jpeg(302, 200))
    assert web.status_code == 429
    assert web["Retry-After"] == "30"
    assert web.json()["error"]["code"] == "rate_limited"
    _token, raw = token_create(user=user, name="app", scope="write")
    api = Client().post(
        "/api/v1/media",
        {"file": SimpleUploadedFile("w.jpg", images.jpeg(303, 200), "image/jpeg")},
        headers=bearer(raw),
    )
    assert api.status_code == 429, api.content
    assert api["Retry-After"] == "30"
    assert "uploaded a lot" in api.json()["detail"]
    assert MediaAsset.objects.filter(owner=user).count() == 2


def test_verifying_a_copy_spends_the_same_bucket(
    two_uploads: FakeClock, user_client: Client
) -> None:
    """The verify page decodes the file it is given, as an upload does."""
    verify = reverse("imaging:verify-submit")
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4 not an image")
    assert user_client.post(verify, {"file": pdf}).status_code == 415
    assert upload(user_client, images.jpeg(300, 200)).status_code == 201
    refused = user_client.post(verify, {"file": SimpleUploadedFile("y.jpg", images.jpeg(9, 9))})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"


def _spend_the_bucket(user: User, tmp_path: Path) -> None:
    for n in range(2):
        asset_upload(owner=user, path=_image(tmp_path, 100 + n))


def test_every_upload_form_answers_429_with_retry_after_and_says_why(
    two_uploads: FakeClock, user_client: Client, user: User, tmp_path: Path
) -> None:
    """The web's own forms (upload page, post, project image, avatar) refuse as the JSON
    routes do: status 429, Retry-After, and the reason shown where the file was chosen."""
    from impasto.art.services import project_create

    _spend_the_bucket(user, tmp_path)
    project = project_create(owner=user, title="Harbour", no_ai_declared=True)

    def jpeg(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, images.jpeg(330, 240), "image/jpeg")

    answers = {
        "upload page": user_client.post(
            reverse("imaging:upload-create"),
            {
                "file": jpeg("a.jpg"),
                "purpose": "artwork",
                "source_type": "digitalCreation",
                "human_made": "on",
            },
        ),
        "post": user_client.post(
            "/posts/new",
            {
                "body": "A study",
                "content_warning": "",
                "visibility": "public",
                "image_0": jpeg("b.jpg"),
                "alt_0": "A heron in ink",
            },
        ),
        "project image": user_client.post(
            reverse("art:image-upload", args=[project.pk]),
            {"file": jpeg("c.jpg"), "alt_text": "A harbour", "source_type": "digitalCreation"},
            headers={"HX-Request": "true"},
        ),
        "avatar": user_client.post(
            reverse("accounts:settings-picture", args=["avatar"]),
            {"avatar-picture": jpeg("d.jpg")},
        ),
    }
    for where, answer in answers.items():
        assert answer.status_code == 429, (where, answer.status_code)
        assert answer["Retry-After"] == "30", where
        assert "You have uploaded a lot in a short time" in answer.content.decode(), where
    assert MediaAsset.objects.filter(owner=user).count() == 2


def _removed_case(user: User, asset: MediaAsset) -> Any:
    """A moderator's removal of ``asset``, decided: what an appeal answers."""
    from impasto.moderation.models import Case, Decision

    return Case.objects.create(
        target_type="asset",
        target_id=asset.pk,
        subject=user,
        source=Case.Source.DETECTION,
        status=Case.Status.CLOSED,
        decision=Decision.REMOVED,
    )


def test_an_appeal_is_never_refused_for_the_upload_rate(
    two_uploads: FakeClock, user: User, tmp_path: Path
) -> None:
    """A person appealing a decision with process files is not told to wait."""
    from impasto.moderation import services as moderation

    _spend_the_bucket(user, tmp_path)
    target = MediaAsset.objects.filter(owner=user).first()
    assert target is not None
    case = _removed_case(user, target)
    appeal = moderation.appeal_create(
        case=case, user=user, statement="Mine.", files=[_image(tmp_path, 1), _image(tmp_path, 2)]
    )
    assert appeal.files.count() == 2
    # Its files are the moderators' evidence: their owner cannot delete them meanwhile.
    evidence = appeal.files.first()
    assert evidence is not None
    with pytest.raises(AssetInUse) as in_use:
        asset_delete(owner=user, asset_id=evidence.pk)
    assert [use.label for use in in_use.value.uses] == ["Your appeal of a moderation decision"]


def test_an_appeal_with_a_refused_file_stores_none_of_its_files(user: User, tmp_path: Path) -> None:
    """Every file is checked before any is stored: a PDF last leaves no original behind (the
    appeal is not rate-limited, so a stored-then-refused attempt could be repeated at will)."""
    from impasto.moderation import services as moderation
    from impasto.moderation.models import Appeal

    target = asset_upload(owner=user, path=_image(tmp_path, 1), rate_limited=False)[0]
    case = _removed_case(user, target)
    before = stored_files(tmp_path / "private")
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4 not an image")
    with pytest.raises(UploadRefused):
        moderation.appeal_create(
            case=case,
            user=user,
            statement="Mine.",
            files=[_image(tmp_path, 2), _image(tmp_path, 3), pdf],
        )
    assert stored_files(tmp_path / "private") == before
    assert not Appeal.objects.exists()
    assert MediaAsset.objects.filter(owner=user).count() == 1
