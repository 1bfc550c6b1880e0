"""Likes and comments on projects (htmx, notifications through social), sharing as a post."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from impasto.art import selectors, services
from impasto.art.models import Project, ProjectComment
from impasto.social.models import Notification, Post
from impasto.social.selectors.notifications import notification_groups
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Visibility

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_like_is_counted_once_and_notifies_the_owner(artist, stranger, make_project, commit):
    project = make_project(artist)
    with commit():
        services.project_like(user=stranger, project_id=project.pk)
    with commit():
        services.project_like(user=stranger, project_id=project.pk)
    project.refresh_from_db()
    assert project.like_count == 1
    note = Notification.objects.get(recipient=artist)
    assert (note.kind, note.target_type, note.target_id) == ("like", "project", project.pk)
    groups = notification_groups(viewer_for(artist)).items
    assert groups[0].summary() == f"{stranger.name} liked your work"
    services.project_unlike(user=stranger, project_id=project.pk)
    project.refresh_from_db()
    assert project.like_count == 0
    assert not Notification.objects.exists()


def test_cannot_like_or_comment_what_one_may_not_see(artist, stranger, blocked, make_project):
    draft = make_project(artist, visibility=Visibility.DRAFT)
    friends = make_project(artist, visibility=Visibility.FOLLOWERS)
    public = make_project(artist)
    for person, project in [(stranger, draft), (stranger, friends), (blocked, public)]:
        with pytest.raises(Http404):
            services.project_like(user=person, project_id=project.pk)
        with pytest.raises(Http404):
            services.comment_create(user=person, project_id=project.pk, body="Hi")


def test_comments_are_sanitized_and_notify(artist, stranger, make_project, commit):
    project = make_project(artist)
    with commit():
        comment = services.comment_create(
            user=stranger,
            project_id=project.pk,
            body='<img src=x onerror="alert(1)"> **Lovely** [x](javascript:alert(1))',
        )
    assert "<img" not in comment.body_html
    assert 'href="javascript' not in comment.body_html
    assert "<strong>Lovely</strong>" in comment.body_html
    project.refresh_from_db()
    assert project.comment_count == 1
    note = Notification.objects.get(recipient=artist)
    assert (note.kind, note.target_type, note.target_id) == ("comment", "comment", comment.pk)
    page = _client(artist).get(reverse("social:notifications"))
    assert page.status_code == 200
    assert f"#comment-{comment.pk}".encode() in page.content
    with pytest.raises(ValidationError):
        services.comment_create(user=stranger, project_id=project.pk, body="   ")


def test_comment_deletion_by_author_or_owner_only(artist, stranger, follower, make_project):
    project = make_project(artist)
    one = services.comment_create(user=stranger, project_id=project.pk, body="One")
    two = services.comment_create(user=stranger, project_id=project.pk, body="Two")
    with pytest.raises(Http404):
        services.comment_delete(user=follower, comment_id=one.pk)
    services.comment_delete(user=stranger, comment_id=one.pk)
    services.comment_delete(user=artist, comment_id=two.pk)
    assert ProjectComment.objects.filter(deleted_at__isnull=True).count() == 0
    project.refresh_from_db()
    assert project.comment_count == 0


def test_comments_of_blocked_people_are_hidden(artist, stranger, make_project):
    from impasto.social.services import graph

    project = make_project(artist)
    services.comment_create(user=stranger, project_id=project.pk, body="Hello")
    assert len(selectors.project_comments(viewer_for(artist), project)) == 1
    graph.block_create(blocker=artist, blocked=stranger)
    assert selectors.project_comments(viewer_for(artist), project) == []


def test_like_and_comment_with_htmx_without_a_reload(artist, stranger, make_project, commit):
    project = make_project(artist)
    client = _client(stranger)
    response = client.post(
        reverse("art:project-like", args=[project.pk]), {"liked": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b'aria-pressed="true"' in response.content
    assert b"<html" not in response.content
    response = client.post(
        reverse("art:comment-create", args=[project.pk]), {"body": "So *good*"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b"<em>good</em>" in response.content
    assert b"<html" not in response.content
    response = client.post(
        reverse("art:comment-create", args=[project.pk]), {"body": ""}, headers=HTMX
    )
    assert response.status_code == 422
    page = client.get(reverse("art:project-detail", args=["mira", project.pk]))
    assert b"So <em>good</em>" in page.content
    assert b'aria-pressed="true"' in page.content


def test_share_as_a_post_links_the_project_with_its_preview(artist, stranger, make_project):
    draft = make_project(artist, visibility=Visibility.DRAFT)
    with pytest.raises(ValidationError):
        services.project_share(user=artist, project_id=draft.pk)
    project = make_project(artist, title="Harbour at night")
    client = _client(artist)
    response = client.post(reverse("art:project-share", args=[project.pk]))
    post = Post.objects.get(author=artist)
    assert response["Location"] == reverse("social:post-detail", args=["mira", post.pk])
    assert post.visibility == "public"
    assert post.link_path == reverse("art:project-detail", args=["mira", project.pk])
    page = _client(stranger).get(response["Location"])
    assert page.status_code == 200
    assert b"link-preview" in page.content
    assert b"Harbour at night" in page.content
    with pytest.raises(Http404):
        services.project_share(user=stranger, project_id=project.pk)


def test_publishing_from_the_edit_page_offers_sharing(artist, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT)
    client = _client(artist)
    response = client.post(
        reverse("art:project-edit", args=[project.pk]),
        {"title": "Harbour", "visibility": "public", "no_ai_declared": "on", "tags": ""},
    )
    assert response["Location"] == reverse("art:project-detail", args=["mira", project.pk])
    page = client.get(response["Location"])
    assert b"Share as a post" in page.content
    assert Project.objects.get(pk=project.pk).visibility == "public"
