"""S3: the staff desk: who sees it, the queues, each decision, restore, and the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset
from impasto.imaging.selectors import asset_visible_to
from impasto.moderation import services
from impasto.moderation.models import AccountSanction, ActionLog, Case, MatureLabel, Notice
from impasto.protection.detection.models import BlockedImageHash
from impasto.social.services.posts import post_create
from tests.factories import MediaAssetFactory, UserFactory, publish_artwork
from tests.protection.detection import builders

pytestmark = pytest.mark.django_db

Upload = Callable[..., MediaAsset]


def held_case(upload: Upload, owner: User) -> tuple[MediaAsset, Case]:
    asset = upload(owner, builders.a1111_png())
    return asset, Case.objects.get(target_type="asset", target_id=asset.pk)


@pytest.mark.parametrize("url_name", ["moderation:desk"])
def test_only_staff_see_the_desk(client, user, moderator, url_name):
    assert client.get(reverse(url_name)).status_code == 404
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 404
    client.force_login(moderator)
    assert client.get(reverse(url_name)).status_code == 200


def test_case_pages_and_actions_are_404_for_members(client, upload: Upload, user, other_user):
    _asset, case = held_case(upload, user)
    client.force_login(other_user)
    assert client.get(reverse("moderation:case", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("moderation:case-decide", args=[case.pk]), {"action": "clear", "reason": "x"}
    )
    assert response.status_code == 404
    # The artist cannot decide their own case either, nor read the desk's page of it.
    client.force_login(user)
    assert client.get(reverse("moderation:case", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.is_open


def test_queues_and_case_page_show_images_evidence_history(
    client, upload: Upload, user, moderator, django_assert_max_num_queries
):
    asset, case = held_case(upload, user)
    post = post_create(author=user, body="spam spam")
    services.report_create(
        reporter=UserFactory.create(), target_type="post", target_id=post.pk, reason="spam"
    )
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        held = client.get(reverse("moderation:desk") + "?queue=held").content.decode()
    assert reverse("moderation:case", args=[case.pk]) in held
    reported = client.get(reverse("moderation:desk") + "?queue=reported").content.decode()
    assert f"post {post.pk}" in reported
    page = client.get(reverse("moderation:case", args=[case.pk])).content.decode()
    variant = asset.variants.filter(format="jpeg").order_by("-width").first()
    assert variant is not None
    assert variant.sha256[:16] in page
    assert "AUTOMATIC1111" in page  # the evidence's detail
    assert "Held by detection" in page  # the audit log of the case
    assert "account&#x27;s history" in page or "account's history" in page
    # Moderators can load the held picture's bytes; others get 404.
    url = reverse("imaging:variant", args=[variant.sha256, variant.extension])
    assert client.get(url).status_code == 200
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404


def test_clear_publishes_a_held_work_and_tells_the_artist(client, upload: Upload, user, moderator):
    asset, case = held_case(upload, user)
    publish_artwork(asset)  # in a public project: cleared, everyone sees it
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:case-decide", args=[case.pk]),
        {"action": "clear", "reason": "Process files show the layers."},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert asset_visible_to(asset=asset, viewer=UserFactory.create())
    case.refresh_from_db()
    assert case.decision == "cleared"
    assert not case.is_open
    assert case.decided_by == moderator
    notice = Notice.objects.filter(recipient=user).order_by("id").last()
    assert notice is not None
    assert "Process files show the layers." in notice.body
    assert ActionLog.objects.filter(case_id_ref=case.pk, kind="clear").exists()


def test_every_action_needs_a_reason(client, upload: Upload, user, moderator):
    _asset, case = held_case(upload, user)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:case-decide", args=[case.pk]), {"action": "clear", "reason": ""}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.is_open
    response = client.post(
        reverse("moderation:case-decide", args=[case.pk]), {"action": "remove", "reason": "AI"}
    )
    assert response.status_code == 400  # removal needs its category
    assert "Say which rule the work breaks." in response.content.decode()


def test_remove_as_ai_blocks_the_picture_so_a_reupload_is_held(upload: Upload, user, moderator):
    data = builders.plain_png(384)
    first = upload(user, data)
    assert first.status == MediaAsset.Status.READY
    publish_artwork(first)  # what others can see, they can report
    case = services.report_create(
        reporter=UserFactory.create(), target_type="asset", target_id=first.pk, reason="ai"
    ).case
    services.case_decide(
        case=case, moderator=moderator, action="remove", reason="Generated.", category="ai"
    )
    first.refresh_from_db()
    assert first.status == MediaAsset.Status.HELD
    assert BlockedImageHash.objects.filter(asset_ref=str(first.pk), reason="ai").exists()
    again = upload(UserFactory.create(), data)
    assert again.status == MediaAsset.Status.HELD
    signals = Case.objects.get(target_id=again.pk).detection["evidence"]
    assert [e["signal"] for e in signals] == ["perceptual-hash-match"]


def test_restore_puts_a_removed_work_back_and_unblocks_it(upload: Upload, user, moderator):
    asset, case = held_case(upload, user)
    services.case_decide(
        case=case, moderator=moderator, action="remove", reason="AI.", category="ai"
    )
    assert BlockedImageHash.objects.filter(asset_ref=str(asset.pk)).exists()
    services.case_restore(case=case, moderator=moderator, reason="We were wrong.")
    asset.refresh_from_db()
    case.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert case.decision == "restored"
    assert not BlockedImageHash.objects.filter(asset_ref=str(asset.pk)).exists()
    kinds = list(
        ActionLog.objects.filter(case_id_ref=case.pk).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["hold", "remove", "restore"]


def test_label_warn_suspend_ban(user, moderator):
    post = post_create(author=user, body="gore")
    reporter = UserFactory.create()

    def case_for(target_type: str, target_id: int) -> Case:
        return services.report_create(
            reporter=reporter, target_type=target_type, target_id=target_id, reason="mature"
        ).case

    services.case_decide(case=case_for("post", post.pk), moderator=moderator,
                         action="label_mature", reason="Needs a warning.")  # fmt: skip
    post.refresh_from_db()
    assert post.content_warning == services.MATURE_WARNING
    assert MatureLabel.objects.filter(target_type="post", target_id=post.pk).exists()

    asset = MediaAssetFactory.create(owner=user)
    publish_artwork(asset)
    services.case_decide(case=case_for("asset", asset.pk), moderator=moderator,
                         action="warn", reason="Mark it next time.")  # fmt: skip
    assert Notice.objects.filter(recipient=user, subject="Warning").exists()

    with pytest.raises(services.ModerationError):
        services.case_decide(case=case_for("profile", user.pk), moderator=moderator,
                             action="suspend", reason="x", days=0)  # fmt: skip
    case = Case.objects.get(target_type="profile", status="open")
    services.case_decide(case=case, moderator=moderator, action="suspend", reason="Cool off.",
                         days=7)  # fmt: skip
    user.refresh_from_db()
    assert not user.is_active
    sanction = AccountSanction.objects.get(user=user)
    assert sanction.until is not None
    assert services.sanctions_lift_expired(now=sanction.until) == 1
    user.refresh_from_db()
    assert user.is_active

    other = UserFactory.create()
    services.case_decide(case=case_for("profile", other.pk), moderator=moderator,
                         action="ban", reason="Repeated theft.")  # fmt: skip
    other.refresh_from_db()
    assert not other.is_active
    assert services.sanctions_lift_expired() == 0


def test_members_and_self_cannot_decide(user, moderator):
    case = services.report_create(
        reporter=UserFactory.create(), target_type="profile", target_id=moderator.pk,
        reason="harassment",
    )  # fmt: skip
    with pytest.raises(services.ModerationError) as own:
        services.case_decide(case=case.case, moderator=moderator, action="clear", reason="no")
    assert own.value.status == 403
    with pytest.raises(services.ModerationError) as member:
        services.case_decide(case=case.case, moderator=user, action="clear", reason="no")
    assert member.value.status == 403


def test_audit_log_refuses_update_and_delete_in_the_database(user, moderator):
    entry = services.log_action(kind="warn", case=None, actor=moderator, reason="kept")
    with pytest.raises(DatabaseError), transaction.atomic():
        ActionLog.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ActionLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_actionlog SET reason = 'raw' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE moderation_actionlog")
    entry.refresh_from_db()
    assert entry.reason == "kept"
    # Appending still works.
    services.log_action(kind="warn", case=None, actor=moderator, reason="second")
    assert ActionLog.objects.count() == 2
