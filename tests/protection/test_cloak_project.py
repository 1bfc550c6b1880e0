"""Issue 7: a project's cloak level, chosen on its edit page, cloaks all its images (one work,
``work_id`` = the project), new images take it, the cloak panel answers for the project, and
an image the artist cloaked before upload keeps its own pixels."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from impasto.accounts.models import User
from impasto.art import services as art
from impasto.art.models import Project
from impasto.imaging.models import MediaAsset
from impasto.protection.cloaking.models import CloakJob
from tests.factories import UserFactory
from tests.imaging import images
from tests.protection.test_cloak_wiring import PATH, cloak_service, http_config

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_storage")]


@pytest.fixture
def artist() -> User:
    return UserFactory.create()


@pytest.fixture
def artist_client(artist: User) -> Client:
    client = Client()
    client.force_login(artist)
    return client


def add_image(client: Client, project: Project, width: int, **fields: str) -> MediaAsset:
    response = client.post(
        reverse("art:image-upload", args=[project.pk]),
        {
            "file": SimpleUploadedFile("work.png", images.png(width, 600), "image/png"),
            "alt_text": "A harbour at night",
            "source_type": "digitalCreation",
            **fields,
        },
    )
    assert response.status_code == 302, response.content
    return project.images.select_related("asset").order_by("-position").first().asset  # type: ignore[union-attr]


def test_the_project_cloak_covers_every_image_and_new_ones(
    httpserver: Any, artist: User, artist_client: Client
) -> None:
    cloak_service(httpserver, [])
    project = art.project_create(owner=artist, title="Harbour", no_ai_declared=True)
    with override_settings(CLOAKING=http_config(httpserver.url_for(PATH))):
        first = add_image(artist_client, project, 700)
        assert not CloakJob.objects.exists()  # the project starts with the cloak off
        edit = artist_client.get(reverse("art:project-edit", args=[project.pk])).content.decode()
        assert reverse("art:project-cloak", args=[project.pk]) in edit
        assert 'name="self_cloaked"' in edit  # the upload form offers "I cloaked it myself"

        response = artist_client.post(
            reverse("art:project-cloak", args=[project.pk]), {"level": "low"}
        )
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.cloak_level == "low"
        job = CloakJob.objects.get(asset_id=first.pk)
        assert (job.work_id, job.level, job.status) == (project.pk, "low", "done")

        second = add_image(artist_client, project, 800)  # takes the project's level
        second.refresh_from_db()
        assert second.cloak_level == "low"
        job = CloakJob.objects.get(asset_id=second.pk)
        assert (job.work_id, job.level, job.status) == (project.pk, "low", "done")

        own = add_image(artist_client, project, 640, self_cloaked="on")
        own.refresh_from_db()
        assert own.self_cloaked
        job = CloakJob.objects.get(asset_id=own.pk)
        assert (job.work_id, job.status) == (project.pk, "kept")

        # The cloak panel speaks of the project, to its owner only.
        url = reverse("cloaking:work-panel", args=[project.pk])
        page = artist_client.get(url)
        assert page.status_code == 200
        assert page.context["image_count"] == 3
        assert {j.asset_id for j in page.context["cloak"].jobs} == {first.pk, second.pk, own.pk}
        stranger = Client()
        stranger.force_login(UserFactory.create())
        assert stranger.get(url).status_code == 404

        # Off again: every image of ours back to the usual variants; the artist's own stays.
        artist_client.post(reverse("art:project-cloak", args=[project.pk]), {"level": "off"})
        levels = dict(CloakJob.objects.values_list("asset_id", "level"))
        assert levels[first.pk] == levels[second.pk] == "off"
        assert CloakJob.objects.get(asset_id=own.pk).status == "kept"


def test_only_the_owner_sets_a_project_cloak(artist: User) -> None:
    project = art.project_create(owner=artist, title="Harbour", no_ai_declared=True)
    stranger = Client()
    stranger.force_login(UserFactory.create())
    url = reverse("art:project-cloak", args=[project.pk])
    assert stranger.post(url, {"level": "high"}).status_code == 404
    owner = Client()
    owner.force_login(artist)
    assert owner.post(url, {"level": "extreme"}).status_code == 400
    project.refresh_from_db()
    assert project.cloak_level == "off"
