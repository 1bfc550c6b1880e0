"""S1: detection on the original in the upload task; strong holds, weak opens a case."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from impasto.imaging.models import MediaAsset
from impasto.imaging.selectors import asset_visible_to
from impasto.moderation.models import ActionLog, Case, Notice
from tests.factories import UserFactory
from tests.protection.detection import builders

pytestmark = pytest.mark.django_db

Upload = Callable[..., MediaAsset]


def test_strong_evidence_holds_the_upload_with_its_evidence(upload: Upload, user, other_user):
    asset = upload(user, builders.a1111_png())
    assert asset.status == MediaAsset.Status.HELD
    assert asset.variants.exists()  # processed as usual: ready for a moderator, hidden
    assert not asset_visible_to(asset=asset, viewer=other_user)
    case = Case.objects.get(target_type="asset", target_id=asset.pk)
    assert case.held
    assert case.is_open
    assert case.subject == user
    assert case.detection["verdict"] == "ai"
    assert [e["signal"] for e in case.detection["evidence"]] == ["generator-parameters"]
    assert ActionLog.objects.filter(case_id_ref=case.pk, kind="hold").count() == 1
    notice = Notice.objects.get(recipient=user)
    assert "generative AI" in notice.body


def test_weak_evidence_publishes_and_opens_a_review_case(upload: Upload, user, other_user):
    asset = upload(user, builders.png_with_text({"Software": "Midjourney"}))
    assert asset.status == MediaAsset.Status.READY
    case = Case.objects.get(target_type="asset", target_id=asset.pk)
    assert not case.held
    assert case.is_open
    assert case.detection["verdict"] == "review"
    assert ActionLog.objects.get(case_id_ref=case.pk).kind == "flag"
    assert not Notice.objects.filter(recipient=user).exists()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("camera.jpg", builders.camera_jpeg),
        ("photoshop.jpg", builders.photoshop_jpeg),
        ("krita.png", builders.krita_png),
        ("plain.png", builders.plain_png),
    ],
)
def test_human_made_files_pass(upload: Upload, user, name, build):
    asset = upload(user, build(), name)
    assert asset.status == MediaAsset.Status.READY, asset.last_error
    assert not Case.objects.filter(target_type="asset", target_id=asset.pk).exists()


def test_a_retried_task_keeps_one_case(upload: Upload, user):
    from impasto.imaging import services as imaging_services

    asset = upload(user, builders.a1111_png())
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaAsset.Status.PROCESSING)
    imaging_services.asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.HELD
    assert Case.objects.filter(target_type="asset", target_id=asset.pk).count() == 1
    assert ActionLog.objects.filter(kind="hold").count() == 1


def test_held_work_page_says_why_in_plain_words(upload: Upload, user, client):
    asset = upload(user, builders.a1111_png())
    client.force_login(user)
    listing = client.get(reverse("imaging:upload"))
    hold_url = reverse("moderation:asset", args=[asset.pk])
    assert hold_url in listing.content.decode()
    assert "It carries the settings an AI image generator saves" in listing.content.decode()
    page = client.get(hold_url, follow=True)
    body = page.content.decode()
    assert page.status_code == 200
    assert "It carries the settings an AI image generator saves with its images." in body
    assert "AUTOMATIC1111" in body  # the technical detail is there too
    # Somebody else gets a 404, not the evidence.
    client.force_login(UserFactory.create())
    assert client.get(hold_url).status_code == 404
