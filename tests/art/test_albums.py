"""Albums: services, what each reader sees inside them, the Albums tab and album pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impasto.art import selectors, services
from impasto.art.models import Album, AlbumEntry
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Visibility

pytestmark = pytest.mark.django_db


def _titles(album_id, viewer) -> list[str]:
    return [p.title for p in selectors.album_for_viewer(viewer, album_id).projects]


def test_album_lifecycle(artist, make_project):
    a = make_project(artist, title="A")
    b = make_project(artist, title="B")
    c = make_project(artist, title="C")
    album = services.album_create(owner=artist, title="Harbours", description="*wet*")
    assert "<em>wet</em>" in album.description_html
    for project in (a, b, c):
        services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    services.album_project_add(user=artist, album_id=album.pk, project_id=a.pk)  # idempotent
    assert AlbumEntry.objects.filter(album=album).count() == 3
    album.refresh_from_db()
    assert album.cover_id == a.pk  # the first project added
    services.album_project_move(user=artist, album_id=album.pk, project_id=c.pk, offset=-1)
    assert _titles(album.pk, viewer_for(None)) == ["A", "C", "B"]
    services.album_projects_reorder(user=artist, album_id=album.pk, project_ids=[b.pk, a.pk, c.pk])
    assert _titles(album.pk, viewer_for(None)) == ["B", "A", "C"]
    services.album_cover_set(user=artist, album_id=album.pk, project_id=c.pk)
    services.album_project_remove(user=artist, album_id=album.pk, project_id=c.pk)
    album.refresh_from_db()
    assert album.cover_id == b.pk
    services.album_update(user=artist, album_id=album.pk, title="Ports")
    album.refresh_from_db()
    assert album.title == "Ports"
    services.album_delete(user=artist, album_id=album.pk)
    assert not Album.objects.exists()
    assert a.__class__.objects.alive().count() == 3  # projects stay


def test_a_project_in_several_albums_and_album_order(artist, make_project):
    project = make_project(artist)
    one = services.album_create(owner=artist, title="One")
    two = services.album_create(owner=artist, title="Two")
    three = services.album_create(owner=artist, title="Three")
    services.project_albums_set(user=artist, project_id=project.pk, album_ids=[one.pk, two.pk])
    assert selectors.album_ids_of_project(project) == {one.pk, two.pk}
    services.project_albums_set(user=artist, project_id=project.pk, album_ids=[three.pk])
    assert selectors.album_ids_of_project(project) == {three.pk}
    services.album_move(user=artist, album_id=three.pk, offset=-1)
    services.albums_reorder(user=artist, album_ids=[three.pk, one.pk, two.pk])
    assert [c.album.title for c in selectors.albums_of(viewer_for(None), artist)] == [
        "Three",
        "One",
        "Two",
    ]
    with pytest.raises(ValidationError):
        services.albums_reorder(user=artist, album_ids=[three.pk])


def test_albums_are_the_owners_alone(artist, stranger, make_project):
    mine = make_project(artist)
    theirs = make_project(stranger)
    album = services.album_create(owner=artist, title="Mine")
    with pytest.raises(Http404):
        services.album_project_add(user=artist, album_id=album.pk, project_id=theirs.pk)
    with pytest.raises(Http404):
        services.album_project_add(user=stranger, album_id=album.pk, project_id=theirs.pk)
    with pytest.raises(Http404):
        services.album_delete(user=stranger, album_id=album.pk)
    with pytest.raises(Http404):
        services.project_albums_set(user=stranger, project_id=theirs.pk, album_ids=[album.pk])
    assert mine


def test_each_reader_sees_only_what_they_may_inside_an_album(
    artist, follower, stranger, blocked, make_project
):
    album = services.album_create(owner=artist, title="Mixed")
    for title, visibility in [
        ("Open", Visibility.PUBLIC),
        ("Friends", Visibility.FOLLOWERS),
        ("Sketch", Visibility.DRAFT),
    ]:
        project = make_project(artist, title=title, visibility=visibility)
        services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    services.album_cover_set(
        user=artist,
        album_id=album.pk,
        project_id=album.entries.get(project__title="Sketch").project_id,
    )
    assert _titles(album.pk, viewer_for(artist)) == ["Open", "Friends", "Sketch"]
    assert _titles(album.pk, viewer_for(follower)) == ["Open", "Friends"]
    assert _titles(album.pk, viewer_for(stranger)) == ["Open"]
    with pytest.raises(Http404):
        selectors.album_for_viewer(viewer_for(blocked), album.pk)
    card = selectors.albums_of(viewer_for(stranger), artist)[0]
    assert card.count == 1
    assert card.cover is not None
    assert card.cover.title == "Open"
    own = selectors.albums_of(viewer_for(artist), artist)[0]
    assert own.cover is not None
    assert own.cover.title == "Sketch"


def test_deleting_a_project_takes_it_out_of_albums(artist, make_project):
    project = make_project(artist)
    album = services.album_create(owner=artist, title="One")
    services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    services.project_delete(user=artist, project_id=project.pk)
    album.refresh_from_db()
    assert album.cover_id is None
    assert not album.entries.exists()


def test_album_pages_and_tab(artist, stranger, blocked, make_project):
    project = make_project(artist, title="Harbour")
    owner = Client()
    owner.force_login(artist)
    response = owner.post(reverse("art:album-create"), {"title": "Ports", "description": ""})
    album = Album.objects.get()
    assert response["Location"] == reverse("art:album-edit", args=[album.pk])
    response = owner.post(
        reverse("art:album-project-add", args=[album.pk]),
        {"project": str(project.pk)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"Harbour" in response.content
    tab = Client().get(reverse("accounts:profile-tab", args=["mira", "albums"]))
    assert b"Ports" in tab.content
    page = Client().get(reverse("art:album-detail", args=["mira", album.pk]))
    assert page.status_code == 200
    assert b"Harbour" in page.content
    blocked_client = Client()
    blocked_client.force_login(blocked)
    assert (
        blocked_client.get(reverse("art:album-detail", args=["mira", album.pk])).status_code == 404
    )
    other = Client()
    other.force_login(stranger)
    assert other.get(reverse("art:album-edit", args=[album.pk])).status_code == 404
    assert other.post(reverse("art:album-delete", args=[album.pk])).status_code == 404
    assert (
        other.post(
            reverse("art:album-project-action", args=[album.pk, project.pk]), {"action": "remove"}
        ).status_code
        == 404
    )


def test_albums_tab_and_album_page_query_counts_do_not_grow(
    artist, make_project, django_assert_num_queries
):
    client = Client()
    tab = reverse("accounts:profile-tab", args=["mira", "albums"])

    def fill(n_albums: int, n_projects: int) -> Album:
        album = None
        for i in range(n_albums):
            album = services.album_create(owner=artist, title=f"Album {i}")
            for _ in range(n_projects):
                p = make_project(artist)
                services.album_project_add(user=artist, album_id=album.pk, project_id=p.pk)
        assert album is not None
        return album

    small = fill(1, 1)
    client.get(tab)
    with CaptureQueriesContext(connection) as few:
        client.get(tab)
    small_page = reverse("art:album-detail", args=["mira", small.pk])
    with CaptureQueriesContext(connection) as few_page:
        client.get(small_page)
    big = fill(4, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(tab).status_code == 200
    with django_assert_num_queries(len(few_page.captured_queries)):
        assert client.get(reverse("art:album-detail", args=["mira", big.pk])).status_code == 200
