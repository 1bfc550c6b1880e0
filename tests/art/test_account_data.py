"""The portfolio's part of the data export (with originals) and of the erasure."""

from __future__ import annotations

import io
import json
from zipfile import ZipFile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from impasto.accounts.userdata import ExportWriter
from impasto.art import services
from impasto.art.account_data import user_data_erase, user_data_export
from impasto.art.models import Album, Project, ProjectComment, ProjectLike
from impasto.social.visibility import Visibility
from tests.imaging import images

pytestmark = pytest.mark.django_db


def test_export_holds_projects_with_originals_albums_and_comments(
    artist, stranger, make_project, django_capture_on_commit_callbacks
):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0, tags=["ink"])
    client = Client()
    client.force_login(artist)
    original = images.jpeg(400, 300)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("art:image-upload", args=[project.pk]),
            {
                "file": SimpleUploadedFile("a.jpg", original, "image/jpeg"),
                "alt_text": "A heron",
                "source_type": "digitalCreation",
            },
        )
    album = services.album_create(owner=artist, title="Birds")
    services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    theirs = make_project(stranger)
    services.comment_create(user=artist, project_id=theirs.pk, body="Lovely")
    services.project_like(user=artist, project_id=theirs.pk)
    buffer = io.BytesIO()
    with ZipFile(buffer, "w") as archive:
        user_data_export(user=artist, writer=ExportWriter(archive, "art"))
    with ZipFile(buffer) as archive:
        data = json.loads(archive.read("art/portfolio.json"))
        exported = data["projects"][0]
        assert exported["tags"] == ["ink"]
        assert exported["images"][0]["alt_text"] == "A heron"
        assert archive.read(f"art/{exported['images'][0]['original']}") == original
    assert data["albums"][0]["projects"] == [str(project.pk)]
    assert data["comments"][0]["body"] == "Lovely"
    assert data["liked_projects"] == [str(theirs.pk)]
    assert storages["private"].exists(project.images.get().asset.original_key)


def test_erase_removes_everything_and_keeps_others_counts_right(artist, stranger, make_project):
    mine = make_project(artist)
    theirs = make_project(stranger)
    services.album_create(owner=artist, title="Mine")
    services.project_like(user=artist, project_id=theirs.pk)
    services.comment_create(user=artist, project_id=theirs.pk, body="Hi")
    services.comment_create(user=stranger, project_id=mine.pk, body="Hello")
    user_data_erase(user=artist)
    user_data_erase(user=artist)  # twice is fine
    theirs.refresh_from_db()
    assert (theirs.like_count, theirs.comment_count) == (0, 0)
    assert not Project.objects.filter(owner=artist).exists()
    assert not Album.objects.filter(owner=artist).exists()
    assert not ProjectLike.objects.filter(user=artist).exists()
    assert not ProjectComment.objects.filter(author=artist).exists()
    assert not ProjectComment.objects.exists()  # the stranger's comment went with the project
