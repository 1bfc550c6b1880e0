"""S4: the artist appeals a removal once, with process files; another moderator decides."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impasto.imaging.models import MediaAsset
from impasto.moderation import services
from impasto.moderation.models import ActionLog, Appeal, AppealFile, Case, Notice
from impasto.protection.detection.models import BlockedImageHash
from tests.factories import UserFactory
from tests.protection.detection import builders

pytestmark = pytest.mark.django_db

Upload = Callable[..., MediaAsset]


def removed(upload: Upload, owner, moderator) -> tuple[MediaAsset, Case]:
    asset = upload(owner, builders.a1111_png())
    case = Case.objects.get(target_type="asset", target_id=asset.pk)
    services.case_decide(
        case=case, moderator=moderator, action="remove", reason="Generator settings.", category="ai"
    )
    return asset, case


def test_artist_appeals_once_with_private_process_files(
    client, upload: Upload, user, moderator, django_capture_on_commit_callbacks
):
    _asset, case = removed(upload, user, moderator)
    client.force_login(user)
    page = client.get(reverse("moderation:yours", args=[case.pk])).content.decode()
    assert reverse("moderation:yours-appeal", args=[case.pk]) in page
    sketch = SimpleUploadedFile("sketch.png", builders.a1111_png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:yours-appeal", args=[case.pk]),
            {"statement": "I painted it; the PNG came from a friend's export script.",
             "process_files": [sketch]},
        )  # fmt: skip
    assert response.status_code == 302, response.content
    appeal = Appeal.objects.get(case=case)
    files = list(appeal.files.all())
    assert len(files) == 1
    process = files[0]
    assert AppealFile.objects.filter(asset=process).exists()
    # Process files are not screened (no new case) and are private to artist + moderators.
    assert process.status == MediaAsset.Status.READY
    assert not Case.objects.filter(target_type="asset", target_id=process.pk).exists()
    variant = process.variants.first()
    assert variant is not None
    url = reverse("imaging:variant", args=[variant.sha256, variant.extension])
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404
    # Once only.
    client.force_login(user)
    assert client.get(reverse("moderation:yours-appeal", args=[case.pk])).status_code == 404
    with pytest.raises(services.ModerationError):
        services.appeal_create(case=case, user=user, statement="again")
    assert ActionLog.objects.filter(case_id_ref=case.pk, kind="appeal").count() == 1


def test_the_moderator_who_removed_cannot_decide_the_appeal(
    client, upload: Upload, user, moderator, second_moderator
):
    asset, case = removed(upload, user, moderator)
    appeal = services.appeal_create(case=case, user=user, statement="Mine, see layers.")
    client.force_login(moderator)
    page = client.get(reverse("moderation:case", args=[case.pk])).content.decode()
    assert "another moderator decides the appeal" in page
    response = client.post(
        reverse("moderation:appeal-decide", args=[case.pk]), {"upheld": "1", "reason": "ok"}
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN
    client.force_login(second_moderator)
    desk = client.get(reverse("moderation:desk") + "?queue=appeals").content.decode()
    assert reverse("moderation:case", args=[case.pk]) in desk
    response = client.post(
        reverse("moderation:appeal-decide", args=[case.pk]),
        {"upheld": "1", "reason": "The layers convince me."},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    asset.refresh_from_db()
    case.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert appeal.decided_by == second_moderator
    assert asset.status == MediaAsset.Status.READY
    assert case.decision == "restored"
    assert not BlockedImageHash.objects.filter(asset_ref=str(asset.pk)).exists()
    last = Notice.objects.filter(recipient=user).order_by("id").last()
    assert last is not None
    assert "upheld" in last.body
    assert "The layers convince me." in last.body


def test_denied_appeal_keeps_the_removal(upload: Upload, user, moderator, second_moderator):
    asset, case = removed(upload, user, moderator)
    appeal = services.appeal_create(case=case, user=user, statement="Please.")
    services.appeal_decide(appeal=appeal, moderator=second_moderator, upheld=False,
                           reason="The file's settings are a generator's.")  # fmt: skip
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.HELD
    assert BlockedImageHash.objects.filter(asset_ref=str(asset.pk)).exists()
    with pytest.raises(services.ModerationError):
        services.appeal_decide(appeal=appeal, moderator=second_moderator, upheld=True, reason="x")


def test_held_to_review_to_removed_to_appeal_path(client, upload: Upload, user, moderator):
    asset = upload(user, builders.a1111_png())
    case = Case.objects.get(target_type="asset", target_id=asset.pk)
    client.force_login(user)
    # Only a removal can be appealed.
    assert client.get(reverse("moderation:yours-appeal", args=[case.pk])).status_code == 404
    client.post(reverse("moderation:yours-review", args=[case.pk]), {"note": "Krita, 12 h."})
    case.refresh_from_db()
    assert case.review_requested_at is not None
    assert case.artist_note == "Krita, 12 h."
    services.case_decide(case=case, moderator=moderator, action="remove", reason="No.",
                         category="ai")  # fmt: skip
    page = client.get(reverse("moderation:yours", args=[case.pk])).content.decode()
    assert "No." in page
    assert "Appeal this decision" in page


def test_withdraw(client, upload: Upload, user):
    asset = upload(user, builders.a1111_png())
    case = Case.objects.get(target_type="asset", target_id=asset.pk)
    client.force_login(UserFactory.create())
    assert client.post(reverse("moderation:yours-withdraw", args=[case.pk])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("moderation:yours-withdraw", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    asset.refresh_from_db()
    assert case.decision == "withdrawn"
    assert asset.status == MediaAsset.Status.HELD
