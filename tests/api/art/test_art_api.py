"""The portfolio API: a whole flow, and who gets what on every route (authz matrix)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from impasto.api.services import token_create
from impasto.art import services
from impasto.art.models import Album, Project, ProjectComment
from impasto.social.models import Notification, Post
from impasto.social.visibility import Visibility
from tests.factories import MediaAssetFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


class Api:
    def __init__(self, user: Any, scope: str = "write") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, raw = token_create(user=user, name="tests", scope=scope)
            self.headers["Authorization"] = f"Bearer {raw}"

    def call(self, method: str, path: str, body: Any = None) -> Any:
        run = getattr(self.client, method.lower())
        if method in ("GET", "DELETE"):
            return run(V1 + path, headers=self.headers)
        return run(V1 + path, body or {}, "application/json", headers=self.headers)


def test_a_whole_portfolio_flow(artist, stranger, django_capture_on_commit_callbacks):
    me = Api(artist)
    response = me.call(
        "POST",
        "/projects",
        {
            "title": "Harbour",
            "description": "*Oil*",
            "mediums": ["oil"],
            "fields": ["fine-art"],
            "tags": ["night"],
            "no_ai_declared": True,
        },
    )
    assert response.status_code == 201, response.content
    project = response.json()
    assert project["visibility"] == "draft"
    assert project["description_html"] == "<p><em>Oil</em></p>\n"
    pid = project["id"]
    assert isinstance(pid, str)
    assets = [MediaAssetFactory.create(owner=artist) for _ in range(3)]
    image_ids = []
    for n, asset in enumerate(assets):
        response = me.call(
            "POST", f"/projects/{pid}/images", {"asset_id": str(asset.pk), "alt_text": f"Alt {n}"}
        )
        assert response.status_code == 201, response.content
        image_ids.append(response.json()["id"])
    new_order = [image_ids[2], image_ids[0], image_ids[1]]
    response = me.call("PUT", f"/projects/{pid}/image-order", {"ids": new_order})
    assert [i["id"] for i in response.json()["images"]] == new_order
    body = {"title": "Harbour", "no_ai_declared": True, "visibility": "public"}
    assert me.call("PUT", f"/projects/{pid}", body).json()["visibility"] == "public"
    album = me.call("POST", "/albums", {"title": "Ports"}).json()
    response = me.call("PUT", f"/albums/{album['id']}/projects/{pid}")
    assert [p["id"] for p in response.json()["projects"]] == [pid]
    response = me.call("POST", f"/projects/{pid}/share", {})
    assert response.status_code == 201
    assert Post.objects.filter(pk=int(response.json()["post_id"]), author=artist).exists()
    # Someone else reads, likes and comments.
    them = Api(stranger)
    assert them.call("GET", f"/projects/{pid}").json()["title"] == "Harbour"
    with django_capture_on_commit_callbacks(execute=True):
        assert them.call("PUT", f"/projects/{pid}/like").json() == {"liked": True, "like_count": 1}
        response = them.call("POST", f"/projects/{pid}/comments", {"body": "<b>Nice</b>"})
    assert response.status_code == 201
    assert "<b>" not in response.json()["body_html"]
    assert Notification.objects.filter(recipient=artist).count() == 2
    listing = Api(None).call("GET", "/profiles/mira/projects").json()
    assert [p["id"] for p in listing["items"]] == [pid]
    albums = Api(None).call("GET", "/profiles/mira/albums").json()
    assert albums[0]["project_count"] == 1
    comments = Api(None).call("GET", f"/projects/{pid}/comments").json()
    assert len(comments["items"]) == 1


def test_validation_errors_name_the_field(artist):
    response = Api(artist).call("POST", "/projects", {"title": "x", "no_ai_declared": False})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "no_ai_declared"
    response = Api(artist).call(
        "POST", "/projects", {"title": "x", "no_ai_declared": True, "mediums": ["midjourney"]}
    )
    assert response.status_code == 422


ROLES = ["anonymous", "owner", "follower", "stranger", "blocked", "blocker"]
SEE = {
    Visibility.PUBLIC: {"anonymous", "owner", "follower", "stranger"},
    Visibility.UNLISTED: {"anonymous", "owner", "follower", "stranger"},
    Visibility.FOLLOWERS: {"owner", "follower"},
    Visibility.DRAFT: {"owner"},
}


@pytest.fixture
def people(artist, follower, stranger, blocked, blocker):
    return {
        "anonymous": None,
        "owner": artist,
        "follower": follower,
        "stranger": stranger,
        "blocked": blocked,
        "blocker": blocker,
    }


@pytest.mark.parametrize("visibility", list(SEE))
def test_reads_answer_404_to_whoever_may_not_see(people, artist, make_project, visibility):
    project = make_project(artist, visibility=visibility)
    album = services.album_create(owner=artist, title="All")
    services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    for role, person in people.items():
        api = Api(person)
        sees = role in SEE[visibility]
        assert api.call("GET", f"/projects/{project.pk}").status_code == (200 if sees else 404)
        assert api.call("GET", f"/projects/{project.pk}/comments").status_code == (
            200 if sees else 404
        )
        blocked = role in ("blocked", "blocker")
        listing = api.call("GET", "/profiles/mira/projects")
        assert listing.status_code == (404 if blocked else 200), role
        if not blocked:
            ids = [p["id"] for p in listing.json()["items"]]
            assert (str(project.pk) in ids) is sees, role
            inside = api.call("GET", f"/albums/{album.pk}").json()["projects"]
            assert (str(project.pk) in [p["id"] for p in inside]) is sees, role
        else:
            assert api.call("GET", f"/albums/{album.pk}").status_code == 404
        if role not in ("anonymous", "owner"):
            like = api.call("PUT", f"/projects/{project.pk}/like")
            assert like.status_code == (200 if sees else 404), role


def _writes(project: Project, album: Album, comment: ProjectComment) -> list[tuple[str, str, Any]]:
    image = project.images.first()
    assert image is not None
    p, a = project.pk, album.pk
    details = {"title": "Taken", "no_ai_declared": True, "visibility": "public"}
    return [
        ("PUT", f"/projects/{p}", details),
        ("DELETE", f"/projects/{p}", None),
        ("POST", f"/projects/{p}/images", {"asset_id": "1", "alt_text": "x"}),
        ("PUT", f"/projects/{p}/images/{image.pk}", {"alt_text": "x"}),
        ("DELETE", f"/projects/{p}/images/{image.pk}", None),
        ("PUT", f"/projects/{p}/image-order", {"ids": [str(image.pk)]}),
        ("PUT", f"/projects/{p}/cover", {"id": str(image.pk)}),
        ("PUT", f"/projects/{p}/pin", None),
        ("DELETE", f"/projects/{p}/pin", None),
        ("POST", f"/projects/{p}/share", {}),
        ("PUT", f"/albums/{a}", {"title": "Taken"}),
        ("DELETE", f"/albums/{a}", None),
        ("PUT", f"/albums/{a}/projects/{p}", None),
        ("DELETE", f"/albums/{a}/projects/{p}", None),
        ("PUT", f"/albums/{a}/project-order", {"ids": [str(p)]}),
        ("PUT", f"/albums/{a}/cover", {"id": str(p)}),
        ("DELETE", f"/comments/{comment.pk}", None),
    ]


def test_nobody_but_the_owner_may_change_anything(people, artist, make_project):
    project = make_project(artist, images=2)
    album = services.album_create(owner=artist, title="All")
    services.album_project_add(user=artist, album_id=album.pk, project_id=project.pk)
    comment = services.comment_create(user=artist, project_id=project.pk, body="Mine")
    for role, person in people.items():
        if role == "owner":
            continue
        api = Api(person)
        for method, path, body in _writes(project, album, comment):
            status = api.call(method, path, body).status_code
            expected = 401 if person is None else 404
            assert status == expected, (role, method, path, status)
    project.refresh_from_db()
    assert project.title == "Harbour at night"
    assert project.deleted_at is None
    assert Album.objects.filter(pk=album.pk, title="All").exists()
    assert ProjectComment.objects.filter(pk=comment.pk, deleted_at__isnull=True).exists()
    reader = Api(artist, scope="read")
    for method, path, body in _writes(project, album, comment):
        assert reader.call(method, path, body).status_code == 403, (method, path)


def test_an_image_must_be_ones_own_upload(artist, stranger, make_project):
    project = make_project(artist, visibility=Visibility.DRAFT, images=0)
    theirs = MediaAssetFactory.create(owner=stranger)
    response = Api(artist).call(
        "POST", f"/projects/{project.pk}/images", {"asset_id": str(theirs.pk), "alt_text": "x"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "asset_id"


def test_a_persons_projects_cost_the_same_for_2_or_8(
    artist, make_project, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        make_project(artist, images=2)
    api = Api(None)
    api.call("GET", "/profiles/mira/projects")
    with CaptureQueriesContext(connection) as few:
        api.call("GET", "/profiles/mira/projects")
    for _ in range(6):
        make_project(artist, images=2)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(api.call("GET", "/profiles/mira/projects").json()["items"]) == 8
