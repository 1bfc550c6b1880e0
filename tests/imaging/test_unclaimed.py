"""An artwork or post image no project or post contains is its owner's only (docs/imaging.md,
"Access hook"): uploaded but never attached, or detached again. Once a container claims it, it
is visible exactly as its container is. Real uploads through the pipeline, real variant URLs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from impasto.accounts.models import User
from impasto.art import services as art
from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.services import asset_process, asset_upload
from impasto.social.services.attachments import AttachmentSpec
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create, post_delete
from impasto.social.visibility import Visibility
from tests.factories import UserFactory
from tests.imaging import images

pytestmark = pytest.mark.django_db


def _ready(owner: User, purpose: str, seed: int = 1) -> MediaAsset:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.jpg"
        path.write_bytes(images.jpeg(400, 300, seed=seed))
        asset, _created = asset_upload(owner=owner, path=path, purpose=purpose)
    asset_process(asset_id=asset.pk)  # the task waits for the commit the test never makes
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY, asset.last_error
    return asset


def _url(asset: MediaAsset) -> str:
    variant = asset.variants.filter(format="jpeg").order_by("width").first()
    assert variant is not None
    return reverse("imaging:variant", args=[variant.sha256, variant.extension])


def _status(viewer: User | None, url: str) -> int:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url).status_code


@pytest.fixture
def people(db: object) -> dict[str, User]:
    owner, follower, stranger = (UserFactory.create() for _ in range(3))
    follow_create(follower=follower, followee=owner)
    return {"owner": owner, "follower": follower, "stranger": stranger}


def _who_sees(url: str, people: dict[str, User]) -> set[str]:
    seen = {name for name, user in people.items() if _status(user, url) == 200}
    if _status(None, url) == 200:
        seen.add("anonymous")
    return seen


def test_an_unattached_post_image_then_public_followers_only_and_deleted(people) -> None:
    owner = people["owner"]
    asset = _ready(owner, Purpose.POST)
    url = _url(asset)
    assert _who_sees(url, people) == {"owner"}  # uploaded, never attached
    public = post_create(author=owner, body="out now", attachments=[AttachmentSpec(asset.pk, "a")])
    assert _who_sees(url, people) == {"owner", "follower", "stranger", "anonymous"}
    post_delete(user=owner, post_id=public.pk)
    assert _who_sees(url, people) == {"owner"}  # detached again

    second = _ready(owner, Purpose.POST, seed=2)
    url = _url(second)
    post_create(
        author=owner,
        body="for my followers",
        visibility=Visibility.FOLLOWERS,
        attachments=[AttachmentSpec(second.pk, "b")],
    )
    assert _who_sees(url, people) == {"owner", "follower"}


def test_an_unattached_artwork_then_in_a_public_then_a_followers_only_project(people) -> None:
    owner = people["owner"]
    asset = _ready(owner, Purpose.ARTWORK)
    url = _url(asset)
    assert _who_sees(url, people) == {"owner"}  # the gap this closes: no project holds it yet
    project = art.project_create(owner=owner, title="Harbour", no_ai_declared=True)
    image = art.project_image_attach(
        user=owner, project_id=project.pk, asset_id=asset.pk, alt_text="A harbour"
    )
    assert _who_sees(url, people) == {"owner"}  # in a draft
    art.project_visibility_set(user=owner, project_id=project.pk, visibility=Visibility.PUBLIC)
    assert _who_sees(url, people) == {"owner", "follower", "stranger", "anonymous"}
    art.project_visibility_set(user=owner, project_id=project.pk, visibility=Visibility.FOLLOWERS)
    assert _who_sees(url, people) == {"owner", "follower"}
    # Taken out of a public project (which keeps another image): in no project, its owner's.
    art.project_visibility_set(user=owner, project_id=project.pk, visibility=Visibility.PUBLIC)
    other = _ready(owner, Purpose.ARTWORK, seed=5)
    art.project_image_attach(user=owner, project_id=project.pk, asset_id=other.pk, alt_text="B")
    art.project_image_remove(user=owner, project_id=project.pk, image_id=image.pk)
    assert _who_sees(url, people) == {"owner"}
    assert "anonymous" in _who_sees(_url(other), people)


def test_a_deleted_project_leaves_its_images_to_their_owner(people) -> None:
    owner = people["owner"]
    asset = _ready(owner, Purpose.ARTWORK)
    url = _url(asset)
    project = art.project_create(owner=owner, title="Study", no_ai_declared=True)
    art.project_image_attach(user=owner, project_id=project.pk, asset_id=asset.pk, alt_text="x")
    art.project_visibility_set(user=owner, project_id=project.pk, visibility=Visibility.PUBLIC)
    assert "anonymous" in _who_sees(url, people)
    art.project_delete(user=owner, project_id=project.pk)
    assert _who_sees(url, people) == {"owner"}


def test_moderators_still_see_an_unattached_upload(people) -> None:
    asset = _ready(people["owner"], Purpose.ARTWORK)
    moderator = UserFactory.create(is_staff=True)
    assert _status(moderator, _url(asset)) == 200


def test_avatars_and_banners_need_no_container(people) -> None:
    # Public by nature: no app contains them, so the plain rule (ready, public owner) applies.
    owner = people["owner"]
    for seed, purpose in enumerate((Purpose.AVATAR, Purpose.BANNER), start=3):
        url = _url(_ready(owner, purpose, seed=seed))
        assert _who_sees(url, people) == {"owner", "follower", "stranger", "anonymous"}
