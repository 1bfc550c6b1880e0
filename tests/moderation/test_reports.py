"""S2: reports merge into one case per target, reporters hear the outcome, reports are
rate-limited, and the report links appear where people meet the content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.moderation import services
from impasto.moderation.models import ActionLog, Case, Notice, Report
from impasto.social.services.posts import post_create
from tests.factories import MediaAssetFactory, UserFactory, publish_artwork

pytestmark = pytest.mark.django_db


def report_url(kind: str, pk: int) -> str:
    return reverse("moderation:report", args=[kind, pk])


def test_reports_on_the_same_post_merge_into_one_case(client, user):
    post = post_create(author=user, body="a lighthouse")
    reporters = [UserFactory.create() for _ in range(3)]
    for reporter in reporters:
        client.force_login(reporter)
        response = client.post(report_url("post", post.pk), {"reason": "spam", "note": "ads"})
        assert response.status_code == 302
    case = Case.objects.get(target_type="post", target_id=post.pk)
    assert case.reports_count == 3
    assert case.subject == user
    assert Report.objects.filter(case=case).count() == 3
    # The same person again updates their report; nothing doubles.
    client.post(report_url("post", post.pk), {"reason": "harassment", "note": "rude"})
    case.refresh_from_db()
    assert case.reports_count == 3
    assert Report.objects.get(case=case, reporter=reporters[-1]).reason == "harassment"
    assert ActionLog.objects.filter(case_id_ref=case.pk, kind="report").count() == 3


def test_profile_and_work_reports(client, user, other_user):
    client.force_login(other_user)
    assert client.post(report_url("profile", user.pk), {"reason": "stolen"}).status_code == 302
    asset = MediaAssetFactory.create(owner=user)
    # An artwork in no project is its owner's only (docs/imaging.md): nothing to report yet.
    assert client.post(report_url("asset", asset.pk), {"reason": "ai"}).status_code == 404
    publish_artwork(asset)
    assert client.post(report_url("asset", asset.pk), {"reason": "ai"}).status_code == 302
    assert set(Case.objects.values_list("target_type", flat=True)) == {"profile", "asset"}


def test_report_refusals(client, user, other_user):
    client.force_login(user)
    post = post_create(author=user, body="mine")
    assert client.post(report_url("post", post.pk), {"reason": "spam"}).status_code == 400
    assert client.post(report_url("nothing", 1), {"reason": "spam"}).status_code == 404
    assert client.post(report_url("post", 123456789), {"reason": "spam"}).status_code == 404
    theirs = post_create(author=other_user, body="theirs")
    assert client.post(report_url("post", theirs.pk), {"reason": "nope"}).status_code == 400
    # A post the reporter may not see is a 404, as everywhere.
    hidden = post_create(author=other_user, body="friends", visibility="followers")
    assert client.post(report_url("post", hidden.pk), {"reason": "spam"}).status_code == 404
    # A held work is not visible to others: 404.
    held = MediaAssetFactory.create(owner=other_user, status="held")
    assert client.post(report_url("asset", held.pk), {"reason": "ai"}).status_code == 404
    assert not Report.objects.exists()


def test_anonymous_cannot_report(client, user):
    post = post_create(author=user, body="a")
    response = client.post(report_url("post", post.pk), {"reason": "spam"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Case.objects.exists()


def test_reporting_is_rate_limited(client, user):
    reporter = UserFactory.create()
    client.force_login(reporter)
    posts = [post_create(author=user, body=f"post {i}") for i in range(11)]
    codes = [client.post(report_url("post", p.pk), {"reason": "spam"}).status_code for p in posts]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    assert Report.objects.count() == 10


def test_reporters_are_told_the_outcome(
    user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    post = post_create(author=user, body="buy now")
    reporters = [UserFactory.create() for _ in range(2)]
    for reporter in reporters:
        services.report_create(
            reporter=reporter, target_type="post", target_id=post.pk, reason="spam"
        )
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_decide(case=case, moderator=moderator, action="remove", reason="Spam.",
                             category="other")  # fmt: skip
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [user.email] + [r.email for r in reporters]
    )
    for reporter in reporters:
        notice = Notice.objects.get(recipient=reporter)
        assert "acted on it" in notice.body
    artist = Notice.objects.get(recipient=user)
    assert "Spam." in artist.body
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert post.body == "buy now"  # a removal hides, it does not erase: it can be restored


def test_report_links_in_post_menu_and_profile(client, user, other_user):
    post = post_create(author=other_user, body="hello")
    client.force_login(user)
    page = client.get(reverse("social:post-detail", args=[other_user.handle, post.pk]))
    assert report_url("post", post.pk) in page.content.decode()
    profile = client.get(reverse("accounts:profile", args=[other_user.handle]))
    assert report_url("profile", other_user.pk) in profile.content.decode()
    # Not on one's own post.
    mine = post_create(author=user, body="me")
    page = client.get(reverse("social:post-detail", args=[user.handle, mine.pk]))
    assert report_url("post", mine.pk) not in page.content.decode()


def test_report_form_renders(client, user, other_user):
    client.force_login(user)
    response = client.get(report_url("profile", other_user.pk))
    assert response.status_code == 200
    assert "Mature content not marked" in response.content.decode()


def test_notices_page_lists_and_marks_read(client, user, moderator):
    post = post_create(author=user, body="x")
    reporter = UserFactory.create()
    services.report_create(reporter=reporter, target_type="post", target_id=post.pk, reason="spam")
    services.case_decide(case=Case.objects.get(), moderator=moderator, action="clear",
                         reason="Not spam.")  # fmt: skip
    client.force_login(reporter)
    page = client.get(reverse("moderation:notices"))
    assert "The outcome of your report" in page.content.decode()
    assert not Notice.objects.filter(recipient=reporter, read_at__isnull=True).exists()
    # The reporter gets no link to the artist's case page, and cannot open it.
    case = Case.objects.get()
    assert reverse("moderation:yours", args=[case.pk]) not in page.content.decode()
    assert client.get(reverse("moderation:yours", args=[case.pk])).status_code == 404


def test_account_menu_links(client, user, moderator):
    client.force_login(user)
    home = client.get("/").content.decode()
    assert reverse("moderation:notices") in home
    assert f'href="{reverse("moderation:desk")}"' not in home
    client.force_login(moderator)
    assert f'href="{reverse("moderation:desk")}"' in client.get("/").content.decode()
