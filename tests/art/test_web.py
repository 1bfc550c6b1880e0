"""The portfolio pages: creating a project, adding real images through the pipeline,
reordering without JavaScript and with htmx, the project page, the Portfolio tab, 404s."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from impasto.art import services
from impasto.art.models import Project
from impasto.imaging.models import MediaAsset
from impasto.social.visibility import Visibility
from tests.imaging import images

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
FIGURE = '<figure class="project__image">'


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _details(**extra):
    return {
        "title": "Harbour at night",
        "description": "Oil on *linen*.",
        "work_fields": ["fine-art"],
        "mediums": ["oil"],
        "software": [],
        "tags": "harbour, night",
        "visibility": "draft",
        "no_ai_declared": "on",
        **extra,
    }


def test_create_project_then_upload_images_through_the_pipeline(
    artist, django_capture_on_commit_callbacks
):
    client = _client(artist)
    assert client.get(reverse("art:project-create")).status_code == 200
    response = client.post(reverse("art:project-create"), _details())
    assert response.status_code == 302
    project = Project.objects.get(owner=artist)
    assert project.visibility == Visibility.DRAFT
    upload_url = reverse("art:image-upload", args=[project.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url,
            {
                "file": SimpleUploadedFile("a.jpg", images.jpeg(640, 480), "image/jpeg"),
                "alt_text": "A harbour at night, boats lit by lamps",
                "caption": "First state",
                "source_type": "digitalCreation",
            },
            headers=HTMX,
        )
    assert response.status_code == 200
    assert b'id="project-images"' in response.content
    image = project.images.get()
    assert image.asset.purpose == "artwork"
    assert image.asset.status == MediaAsset.Status.READY, image.asset.last_error
    project.refresh_from_db()
    assert project.cover_id == image.pk
    variant = image.asset.variants.filter(format="jpeg")[0]
    variant_url = reverse("imaging:variant", args=[variant.sha256, variant.extension])
    assert Client().get(variant_url).status_code == 404  # a draft's image
    assert client.get(variant_url).status_code == 200  # its owner
    # Publish, then the page shows the picture at full display quality.
    response = client.post(
        reverse("art:project-edit", args=[project.pk]), _details(visibility="public")
    )
    assert response.status_code == 302
    page = Client().get(reverse("art:project-detail", args=["mira", project.pk]))
    assert page.status_code == 200
    assert b"<picture" in page.content
    assert b"A harbour at night, boats lit by lamps" in page.content
    assert b"2048w" not in page.content  # a 640 px source is never upscaled
    assert b"<em>linen</em>" in page.content
    assert Client().get(variant_url).status_code == 200
    services.project_delete(user=artist, project_id=project.pk)
    assert Client().get(variant_url).status_code == 404


def test_upload_without_alt_text_is_refused(artist, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    response = _client(artist).post(
        reverse("art:image-upload", args=[project.pk]),
        {"file": SimpleUploadedFile("a.jpg", images.jpeg(320, 240), "image/jpeg"), "alt_text": ""},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert not MediaAsset.objects.exists()


def test_a_refused_file_says_why_and_stores_nothing(artist, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    response = _client(artist).post(
        reverse("art:image-upload", args=[project.pk]),
        {
            "file": SimpleUploadedFile("a.jpg", b"%PDF-1.4 not an image", "image/jpeg"),
            "alt_text": "x",
            "source_type": "digitalCreation",
        },
        headers=HTMX,
    )
    assert response.status_code == 415
    assert b"PDF" in response.content
    assert not MediaAsset.objects.exists()


def test_move_buttons_work_without_javascript(artist, make_project):
    project = make_project(artist, images=3)
    first, second, third = project.images.order_by("position")
    client = _client(artist)
    response = client.post(
        reverse("art:image-move", args=[project.pk, third.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#images")
    order = list(project.images.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    response = client.post(
        reverse("art:image-order", args=[project.pk]),
        {"order": f"{second.pk},{first.pk},{third.pk}"},
        headers=HTMX,
    )
    assert response.status_code == 200
    order = list(project.images.order_by("position").values_list("pk", flat=True))
    assert order == [second.pk, first.pk, third.pk]


def test_editing_pages_are_404_for_others(artist, stranger, make_project):
    project = make_project(artist, images=2)
    image = project.images.first()
    client = _client(stranger)
    urls = [
        reverse("art:project-edit", args=[project.pk]),
        reverse("art:project-delete", args=[project.pk]),
        reverse("art:image-list", args=[project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("art:image-move", args=[project.pk, image.pk]), {"direction": "down"}),
        (reverse("art:image-cover", args=[project.pk, image.pk]), {}),
        (reverse("art:image-remove", args=[project.pk, image.pk]), {}),
        (reverse("art:project-pin", args=[project.pk]), {"pinned": "1"}),
        (reverse("art:project-delete", args=[project.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Project.objects.alive().filter(pk=project.pk).exists()


@pytest.mark.parametrize(
    ("visibility", "allowed"),
    [
        ("public", {"anonymous", "owner", "follower", "stranger"}),
        ("followers", {"owner", "follower"}),
        ("draft", {"owner"}),
    ],
)
def test_project_page_answers_404_when_not_visible(
    artist, follower, stranger, blocked, make_project, visibility, allowed
):
    project = make_project(artist, visibility=visibility)
    url = reverse("art:project-detail", args=["mira", project.pk])
    people = {
        "anonymous": None,
        "owner": artist,
        "follower": follower,
        "stranger": stranger,
        "blocked": blocked,
    }
    for name, person in people.items():
        status = _client(person).get(url).status_code
        assert status == (200 if name in allowed else 404), name


def test_wrong_handle_redirects_to_the_owner(artist, make_project):
    project = make_project(artist)
    response = Client().get(reverse("art:project-detail", args=["someone", project.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("art:project-detail", args=["mira", project.pk])


def test_portfolio_is_the_default_profile_tab(artist, make_project):
    make_project(artist, title="Harbour")
    make_project(artist, title="Secret", visibility=Visibility.DRAFT)
    page = Client().get(reverse("accounts:profile", args=["mira"]))
    assert page.status_code == 200
    assert b"Harbour" in page.content
    assert b"Secret" not in page.content
    own = _client(artist).get(reverse("accounts:profile", args=["mira"]))
    assert b"Secret" in own.content
    assert b"New project" in own.content


def test_layout_choice_changes_the_grid(artist, make_project):
    make_project(artist)
    client = _client(artist)
    client.post(reverse("art:layout"), {"layout": "masonry"})
    page = Client().get(reverse("accounts:profile", args=["mira"]))
    assert b"media-grid--masonry" in page.content


def _queries(django_assert_max_num_queries, client, url, most):
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_portfolio_tab_query_count_does_not_grow(artist, make_project, django_assert_num_queries):
    url = reverse("accounts:profile-tab", args=["mira", "portfolio"])
    client = Client()
    make_project(artist)
    services.project_pin(user=artist, project_id=make_project(artist).pk, pinned=True)
    client.get(url)  # warm caches (site settings...)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        make_project(artist, images=2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_project_page_query_count_does_not_grow(artist, make_project, django_assert_num_queries):
    client = Client()
    small = make_project(artist, images=1)
    big = make_project(artist, images=8, tags=["a1", "b2", "c3"])
    client.get(reverse("art:project-detail", args=["mira", small.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("art:project-detail", args=["mira", small.pk]))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("art:project-detail", args=["mira", big.pk])).status_code == 200


def test_a_mature_project_asks_before_showing_its_images(artist, make_project, stranger):
    from impasto.feeds.services import feed_preferences_update

    project = make_project(artist, images=2, mature=True)
    url = reverse("art:project-detail", args=["mira", project.pk])

    gated = Client().get(url).content.decode()
    assert "This work is marked as mature" in gated
    assert 'href="?mature=show"' in gated
    assert FIGURE not in gated  # no image until the reader asks
    assert project.title in gated  # the page itself, its title and details, stay readable

    shown = Client().get(url + "?mature=show").content.decode()
    assert "This work is marked as mature" not in shown
    assert shown.count(FIGURE) == 2

    # The artist sees their own work; a reader who chose "show" in their feed settings too.
    assert "This work is marked as mature" not in _client(artist).get(url).content.decode()
    reader = stranger
    assert "This work is marked as mature" in _client(reader).get(url).content.decode()
    feed_preferences_update(user=reader, mature="show")
    assert "This work is marked as mature" not in _client(reader).get(url).content.decode()


def test_a_project_that_is_not_mature_has_no_warning(artist, make_project):
    project = make_project(artist, images=1)
    page = Client().get(reverse("art:project-detail", args=["mira", project.pk])).content.decode()
    assert "This work is marked as mature" not in page
    assert page.count(FIGURE) == 1
