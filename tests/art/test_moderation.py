"""Issue 6: projects and their comments are moderation targets (docs/moderation.md): anyone
who may see them reports them, the case shows on the desk, a removal hides them from everyone
and a restore brings them back whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from impasto.accounts.models import User
from impasto.art import services
from impasto.art.models import Project, ProjectComment
from impasto.moderation import services as moderation
from impasto.moderation.models import Case, Report
from impasto.social.visibility import Visibility
from tests.art.conftest import MakeProject
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def report_url(kind: str, pk: int) -> str:
    return reverse("moderation:report", args=[kind, pk])


def project_url(project: Project) -> str:
    return reverse("art:project-detail", args=[project.owner.handle, project.pk])


@pytest.fixture
def moderator(db: Any) -> User:
    return UserFactory.create(is_staff=True)


def test_report_remove_and_restore_a_project(
    client: Any, artist: User, stranger: User, moderator: User, make_project: MakeProject
) -> None:
    project = make_project(artist, title="Harbour at night")
    client.force_login(stranger)
    page = client.get(project_url(project)).content.decode()
    assert report_url("project", project.pk) in page
    response = client.post(report_url("project", project.pk), {"reason": "stolen", "note": "x"})
    assert response.status_code == 302
    case = Case.objects.get(target_type="project", target_id=project.pk)
    assert case.subject == artist

    client.force_login(moderator)
    desk = client.get(reverse("moderation:desk") + "?queue=reported").content.decode()
    assert reverse("moderation:case", args=[case.pk]) in desk
    case_page = client.get(reverse("moderation:case", args=[case.pk])).content.decode()
    assert "Harbour at night" in case_page
    response = client.post(
        reverse("moderation:case-decide", args=[case.pk]),
        {"action": "remove", "reason": "Not theirs.", "category": "other"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.removed_at is not None
    assert project.deleted_at is None  # hidden, not deleted: the artist keeps it
    client.force_login(stranger)
    assert client.get(project_url(project)).status_code == 404
    # Its owner still reaches the edit page, which says why it is gone.
    client.force_login(artist)
    edit = client.get(reverse("art:project-edit", args=[project.pk])).content.decode()
    assert "Removed by a moderator" in edit
    client.force_login(stranger)
    # Its pictures go with it (the image access check follows the project).
    asset = project.images.get().asset
    from impasto.imaging.selectors import asset_visible_to

    assert not asset_visible_to(asset=asset, viewer=stranger)

    client.force_login(moderator)
    response = client.post(
        reverse("moderation:case-restore", args=[case.pk]), {"reason": "We were wrong."}
    )
    assert response.status_code == 302
    client.force_login(stranger)
    project.refresh_from_db()
    assert project.removed_at is None
    assert client.get(project_url(project)).status_code == 200


def test_report_remove_and_restore_a_comment(
    client: Any, artist: User, stranger: User, moderator: User, make_project: MakeProject
) -> None:
    project = make_project(artist)
    comment = services.comment_create(user=artist, project_id=project.pk, body="Rude words")
    mine = services.comment_create(user=stranger, project_id=project.pk, body="Lovely")
    client.force_login(stranger)
    page = client.get(project_url(project)).content.decode()
    assert report_url("comment", comment.pk) in page
    assert report_url("comment", mine.pk) not in page  # not on one's own
    assert client.post(report_url("comment", mine.pk), {"reason": "spam"}).status_code == 400
    assert (
        client.post(report_url("comment", comment.pk), {"reason": "harassment"}).status_code == 302
    )
    case = Case.objects.get(target_type="comment", target_id=comment.pk)
    assert case.subject == artist

    moderation.case_decide(
        case=case, moderator=moderator, action="remove", reason="Rude.", category="other"
    )
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.body == "Rude words"  # kept for a restore
    assert project.comment_count == 1
    assert "Rude words" not in client.get(project_url(project)).content.decode()
    case.refresh_from_db()
    moderation.case_restore(case=case, moderator=moderator, reason="Fine after all.")
    services.comment_moderation_restore(comment_id=comment.pk)  # idempotent: counted once
    comment.refresh_from_db()
    project.refresh_from_db()
    assert comment.deleted_at is None
    assert project.comment_count == 2
    assert "Rude words" in client.get(project_url(project)).content.decode()


def test_a_restore_does_not_bring_back_a_comment_its_author_deleted(
    artist: User, stranger: User, make_project: MakeProject
) -> None:
    project = make_project(artist)
    comment = services.comment_create(user=stranger, project_id=project.pk, body="Oops")
    services.comment_delete(user=stranger, comment_id=comment.pk)
    services.comment_moderation_restore(comment_id=comment.pk)
    assert ProjectComment.objects.get(pk=comment.pk).deleted_at is not None


@pytest.mark.parametrize("visibility", [Visibility.DRAFT, Visibility.FOLLOWERS])
def test_what_one_may_not_see_cannot_be_reported(
    client: Any, artist: User, stranger: User, make_project: MakeProject, visibility: str
) -> None:
    project = make_project(artist, visibility=visibility)
    follower_comment = None
    if visibility == Visibility.FOLLOWERS:
        follower_comment = services.comment_create(user=artist, project_id=project.pk, body="Hi")
    client.force_login(stranger)
    assert client.post(report_url("project", project.pk), {"reason": "spam"}).status_code == 404
    if follower_comment is not None:
        response = client.post(report_url("comment", follower_comment.pk), {"reason": "spam"})
        assert response.status_code == 404
    assert not Report.objects.exists()


def test_report_a_project_and_a_comment_through_the_api(
    client: Any, artist: User, stranger: User, make_project: MakeProject
) -> None:
    from tests.moderation.test_api import call

    project = make_project(artist)
    comment = services.comment_create(user=artist, project_id=project.pk, body="Buy now")
    body = {"target_type": "project", "target_id": str(project.pk), "reason": "ai"}
    assert call(client, stranger, body).status_code == 201
    body = {"target_type": "comment", "target_id": str(comment.pk), "reason": "spam"}
    assert call(client, stranger, body).status_code == 201
    draft = make_project(artist, visibility=Visibility.DRAFT)
    body = {"target_type": "project", "target_id": str(draft.pk), "reason": "ai"}
    assert call(client, stranger, body).status_code == 404
    assert set(Case.objects.values_list("target_type", flat=True)) == {"project", "comment"}
