"""A suspended or banned person logs in: their standing page, and the appeal of the sanction.

The log-in form proves the password; the session then remembers the closed account for 30
minutes, without logging anyone in, and only the standing pages read that proof.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from impasto.accounts import inactive
from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset
from impasto.moderation import services
from impasto.moderation.models import AccountSanction, ActionLog, Appeal, AppealFile, Case, Notice
from impasto.social.services.posts import post_create
from tests.accounts.conftest import log_in
from tests.factories import PASSWORD, UserFactory
from tests.protection.detection import builders

pytestmark = pytest.mark.django_db

STANDING = "/moderation/standing"


def reported(person: User, body: str) -> Case:
    post = post_create(author=person, body=body)
    report = services.report_create(
        reporter=UserFactory.create(), target_type="post", target_id=post.pk, reason="harassment"
    )
    return report.case


def sanctioned(
    person: User,
    moderator: User,
    *,
    action: str = "suspend",
    body: str = "rude",
    case: Case | None = None,
) -> Case:
    """``person`` is suspended (14 days) or banned over one of their posts."""
    case = services.case_decide(
        case=case or reported(person, body),
        moderator=moderator,
        action=action,
        reason=f"Insults in replies <b>{action}</b>.",
        days=14 if action == "suspend" else None,
    )
    person.refresh_from_db()
    assert not person.is_active
    return case


def test_reverse_resolves_the_standing_page():
    assert reverse("moderation:standing") == STANDING


def test_a_suspended_person_logs_in_and_reads_the_decision(
    client, user, moderator, django_assert_num_queries
):
    case = sanctioned(user, moderator, body="You all paint badly")
    response = log_in(client, user.handle, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == STANDING
    assert "_auth_user_id" not in client.session
    sanction = AccountSanction.objects.get(user=user)
    # session, proven user, sanctions, their cases, the post (target), its appeal, its images.
    with django_assert_num_queries(7):
        page = client.get(STANDING)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Suspension" in html
    until = date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")
    assert f"Your account is suspended until {until}." in html
    # The reason is escaped, the post it was about is shown, and the appeal form is there.
    assert "Insults in replies &lt;b&gt;suspend&lt;/b&gt;." in html
    assert "You all paint badly" in html
    assert reverse("moderation:standing-appeal", args=[case.pk]) in html
    assert f"@{user.handle}" in html
    # Nobody is logged in: the request on the standing page is anonymous.
    assert page.wsgi_request.user.is_anonymous


def test_a_wrong_password_gives_the_usual_error_and_no_standing(client, user, moderator):
    sanctioned(user, moderator)
    response = log_in(client, user.handle, "not the password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert inactive.PROOF_KEY not in client.session
    standing = client.get(STANDING)
    assert standing.status_code == 302
    assert standing["Location"].startswith(reverse("account_login"))


def test_an_account_closed_without_a_sanction_gets_the_generic_page(client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = log_in(client, user.handle, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert inactive.PROOF_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "This account is closed" in page
    assert STANDING in page
    assert client.get(STANDING).status_code == 302


def test_appeal_from_the_standing_page_once_with_process_files(
    client, user, moderator, django_capture_on_commit_callbacks
):
    case = sanctioned(user, moderator)
    log_in(client, user.handle, PASSWORD)
    url = reverse("moderation:standing-appeal", args=[case.pk])
    # An empty statement is refused and stores nothing.
    empty = client.post(url, {"statement": "  "})
    assert empty.status_code == 400
    assert not Appeal.objects.exists()
    sketch = SimpleUploadedFile("thread.png", builders.a1111_png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"statement": "It was a joke between friends.", "process_files": [sketch]}
        )
    assert response.status_code == 302, response.content
    assert response["Location"] == STANDING
    appeal = Appeal.objects.get(case=case)
    assert appeal.appellant == user
    process = appeal.files.get()
    assert AppealFile.objects.filter(asset=process).exists()
    assert process.status == MediaAsset.Status.READY  # through the pipeline, not screened
    assert not Case.objects.filter(target_type="asset", target_id=process.pk).exists()
    assert ActionLog.objects.filter(case_id_ref=case.pk, kind="appeal").count() == 1
    # The page now shows the appeal's status instead of the form; a second appeal is refused.
    page = client.get(STANDING).content.decode()
    assert "Waiting for a moderator" in page
    assert url not in page
    assert client.post(url, {"statement": "Again."}).status_code == 404
    with pytest.raises(services.ModerationError) as again:
        services.appeal_create(case=case, user=user, statement="Again.")
    assert again.value.status == 409
    assert Appeal.objects.count() == 1
    user.refresh_from_db()
    assert not user.is_active


def test_upheld_by_another_moderator_reopens_the_account(
    client, user, moderator, second_moderator, django_capture_on_commit_callbacks
):
    case = sanctioned(user, moderator)
    appeal = services.appeal_create(case=case, user=user, statement="Misread.")
    with pytest.raises(services.ModerationError) as own:
        services.appeal_decide(appeal=appeal, moderator=moderator, upheld=True, reason="ok")
    assert own.value.status == 403
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(
            appeal=appeal, moderator=second_moderator, upheld=True, reason="Context missed."
        )
    user.refresh_from_db()
    assert user.is_active
    sanction = AccountSanction.objects.get(user=user)
    assert sanction.lifted_at is not None
    kinds = list(
        ActionLog.objects.filter(case_id_ref=case.pk).order_by("id").values_list("kind", flat=True)
    )
    assert kinds[-3:] == ["appeal", "appeal_upheld", "lift"]
    lift = ActionLog.objects.get(kind="lift")
    assert (lift.actor_id_ref, lift.subject_id_ref) == (second_moderator.pk, user.pk)
    notice = Notice.objects.filter(recipient=user).latest("id")
    assert "suspension is lifted and your account is reopened" in notice.body
    assert "Context missed." in mail.outbox[-1].body
    # A normal log-in now; the standing page has nothing to show.
    response = log_in(client, user.handle, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(STANDING).status_code == 404


def test_denied_keeps_the_account_closed(client, user, moderator, second_moderator):
    case = sanctioned(user, moderator)
    appeal = services.appeal_create(case=case, user=user, statement="Misread.")
    services.appeal_decide(appeal=appeal, moderator=second_moderator, upheld=False, reason="No.")
    user.refresh_from_db()
    assert not user.is_active
    assert AccountSanction.objects.get(user=user).lifted_at is None
    assert not ActionLog.objects.filter(kind="lift").exists()
    notice = Notice.objects.filter(recipient=user).latest("id")
    assert "the suspension stands" in notice.body
    log_in(client, user.handle, PASSWORD)
    page = client.get(STANDING).content.decode()
    assert "Denied: the decision stands" in page
    assert "No." in page


def test_a_ban_appealed_and_upheld_reopens_the_account(user, moderator, second_moderator):
    case = sanctioned(user, moderator, action="ban")
    appeal = services.appeal_create(case=case, user=user, statement="Not me: stolen session.")
    services.appeal_decide(appeal=appeal, moderator=second_moderator, upheld=True, reason="Yes.")
    user.refresh_from_db()
    assert user.is_active
    assert "ban is lifted and your account is reopened" in (
        Notice.objects.filter(recipient=user).latest("id").body
    )


def test_an_upheld_appeal_leaves_the_account_closed_under_another_ban(
    user, moderator, second_moderator
):
    second = reported(user, "again")
    suspension = sanctioned(user, moderator)
    sanctioned(user, moderator, action="ban", case=second)
    appeal = services.appeal_create(case=suspension, user=user, statement="Misread.")
    services.appeal_decide(appeal=appeal, moderator=second_moderator, upheld=True, reason="Yes.")
    user.refresh_from_db()
    assert not user.is_active
    assert "another suspension or ban still keeps your account closed" in (
        Notice.objects.filter(recipient=user).latest("id").body
    )


def test_an_expired_proof_opens_nothing(client, user, moderator):
    case = sanctioned(user, moderator)
    log_in(client, user.handle, PASSWORD)
    session = client.session
    session[inactive.PROOF_KEY] = {
        "user": user.pk,
        "at": int(time.time()) - inactive.PROOF_LIFETIME - 1,
    }
    session.save()
    response = client.get(STANDING)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    url = reverse("moderation:standing-appeal", args=[case.pk])
    assert client.post(url, {"statement": "late"}).status_code == 404
    assert not Appeal.objects.exists()


def test_another_persons_case_is_never_shown(client, user, moderator):
    mine = sanctioned(user, moderator, body="mine")
    other = UserFactory.create()
    theirs = sanctioned(other, moderator, body="their secret post")
    log_in(client, user.handle, PASSWORD)
    page = client.get(STANDING).content.decode()
    assert "mine" in page
    assert "their secret post" not in page
    assert other.handle not in page
    url = reverse("moderation:standing-appeal", args=[theirs.pk])
    assert client.post(url, {"statement": "let me in"}).status_code == 404
    assert not Appeal.objects.exists()
    assert mine.pk != theirs.pk


def test_the_proof_logs_nobody_in_elsewhere(client, user, moderator):
    case = sanctioned(user, moderator)
    log_in(client, user.handle, PASSWORD)
    assert client.get(STANDING).status_code == 200
    for url in (
        reverse("accounts:settings-profile"),
        reverse("moderation:notices"),
        reverse("moderation:yours", args=[case.pk]),
        reverse("moderation:yours-appeal", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_a_signed_in_member_without_a_proof_gets_404(client, other_user):
    client.force_login(other_user)
    assert client.get(STANDING).status_code == 404


def test_an_expired_suspension_is_lifted_through_the_same_helper(user, moderator):
    sanctioned(user, moderator)
    sanction = AccountSanction.objects.get(user=user)
    assert services.sanctions_lift_expired(now=sanction.until) == 1
    user.refresh_from_db()
    assert user.is_active
    lift = ActionLog.objects.get(kind="lift")
    assert lift.actor_id_ref is None
    assert lift.subject_id_ref == user.pk
