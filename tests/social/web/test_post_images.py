"""Post images in the web UI: compose with files and descriptions, the gallery, and who may
load a post image's variant URL (exactly who may see the post)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.services import asset_upload
from impasto.social.models import Post, PostAttachment
from impasto.social.services.attachments import AttachmentSpec
from impasto.social.services.graph import block_create, follow_create
from impasto.social.services.posts import post_create, post_delete, post_edit
from tests.imaging import images as made
from tests.imaging.conftest import _isolated_storage  # noqa: F401 - autouse: own media folders
from tests.social.web.helpers import main_of

pytestmark = pytest.mark.django_db(transaction=True)

COMPOSE = "/posts/new"


def _file(data: bytes, name: str = "work.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _compose(client: Any, **fields: Any) -> Any:
    data = {"body": "", "content_warning": "", "visibility": "public", **fields}
    return client.post(COMPOSE, data)


def _variant_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r"/media/v/[0-9a-f]{64}\.(?:jpg|webp|avif)", html)))


def test_compose_page_offers_ten_described_image_slots(alice, as_user) -> None:
    html = main_of(as_user(alice).get(COMPOSE))
    assert 'enctype="multipart/form-data"' in html
    assert html.count('type="file"') == 10
    assert 'name="alt_0"' in html
    assert 'name="decorative_9"' in html
    assert "Add more images" in html


def test_a_post_with_two_images_in_order_rendered_as_a_gallery(alice, bob, as_user) -> None:
    response = _compose(
        as_user(alice),
        body="Two studies",
        image_0=_file(made.jpeg(640, 480, seed=3)),
        alt_0="A heron at dawn, in ink",
        image_1=_file(made.png(480, 480, seed=4), "b.png"),
        decorative_1="on",
    )
    assert response.status_code == 302, response.content
    post = Post.objects.get()
    first, second = post.attachments.select_related("asset")
    assert (first.alt_text, first.decorative, second.decorative) == (
        "A heron at dawn, in ink",
        False,
        True,
    )
    assert {first.asset.purpose, second.asset.purpose} == {Purpose.POST}
    assert first.asset.status == second.asset.status == MediaAsset.Status.READY
    page = main_of(as_user(bob).get(response["Location"]))
    assert "post-gallery--2" in page
    assert 'alt="A heron at dawn, in ink"' in page
    assert 'alt=""' in page  # the decorative one
    assert page.index("A heron") < page.index('alt=""')
    assert 'loading="lazy"' in page
    assert "data-blurhash=" in page
    for url in _variant_urls(page)[:3]:
        assert as_user(None).get(url).status_code == 200


def test_an_image_without_a_description_is_refused_and_nothing_is_stored(alice, as_user) -> None:
    response = _compose(as_user(alice), body="x", image_0=_file(made.jpeg(320, 240)))
    assert response.status_code == 400
    assert "Describe the image" in main_of(response)
    both = _compose(
        as_user(alice),
        body="x",
        image_0=_file(made.jpeg(320, 240)),
        alt_0="a cat",
        decorative_0="on",
    )
    assert "not both" in main_of(both)
    assert not Post.objects.exists()
    assert not MediaAsset.objects.exists()


def test_a_refused_file_says_why_and_stores_nothing(alice, as_user) -> None:
    response = _compose(
        as_user(alice),
        body="x",
        image_0=_file(made.jpeg(320, 240)),
        alt_0="fine",
        image_1=_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "scan.png"),
        alt_1="a pdf",
    )
    assert response.status_code == 415
    html = main_of(response)
    assert "PDF" in html
    assert " open" in html.split("compose-images__more", 1)[1][:20]  # the slot with the error
    assert not Post.objects.exists()
    assert not MediaAsset.objects.exists()


def test_images_alone_make_a_post(alice, as_user) -> None:
    response = _compose(as_user(alice), image_0=_file(made.jpeg(320, 240)), alt_0="a study")
    assert response.status_code == 302
    assert Post.objects.get().body == ""
    empty = _compose(as_user(alice))
    assert empty.status_code == 400
    assert "Write something or add an image" in main_of(empty)


def _post_with_image(author: Any, visibility: str = "public") -> tuple[Post, MediaAsset, str]:
    asset = _ready_asset(author)
    post = post_create(
        author=author,
        body="with an image",
        visibility=visibility,
        attachments=[AttachmentSpec(asset.pk, "a study")],
    )
    variant = asset.variants.get(format="jpeg", width=320)
    return post, asset, reverse("imaging:variant", args=[variant.sha256, variant.extension])


def _ready_asset(owner: Any) -> MediaAsset:
    """A real upload for ``owner`` through imaging's service, processed (ready)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.jpg"
        path.write_bytes(made.jpeg(400, 300, seed=owner.pk % 50))
        asset, _ = asset_upload(owner=owner, path=path, purpose=Purpose.POST)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY, _why_not_ready(asset)
    return asset


def _why_not_ready(asset: MediaAsset) -> str:
    """What held or failed an upload these tests expect ready (a rare flake once came back
    ``held``; this says by what, next time: a detector, or a hash match with earlier data)."""
    from impasto.moderation.models import Case
    from impasto.moderation.selectors import hold_evidence

    cases = list(Case.objects.filter(target_type="asset", target_id=asset.pk).values())
    return (
        f"status={asset.status} last_error={asset.last_error!r} "
        f"evidence={hold_evidence(asset_id=asset.pk)!r} cases={cases!r}"
    )


def test_a_post_image_is_visible_exactly_when_its_post_is(
    alice, bob, carol, make_user, as_user
) -> None:
    blocked = make_user()
    block_create(blocker=alice, blocked=blocked)
    follow_create(follower=bob, followee=alice)
    public, _, public_url = _post_with_image(alice)
    _, _, private_url = _post_with_image(alice, "followers")
    assert as_user(None).get(public_url).status_code == 200
    assert as_user(carol).get(public_url).status_code == 200
    assert as_user(blocked).get(public_url).status_code == 404
    assert as_user(None).get(private_url).status_code == 404
    assert as_user(carol).get(private_url).status_code == 404
    assert as_user(bob).get(private_url).status_code == 200
    assert as_user(alice).get(private_url).status_code == 200
    post_delete(user=alice, post_id=public.pk)
    assert as_user(carol).get(public_url).status_code == 404
    assert as_user(alice).get(public_url).status_code == 200  # the owner keeps her upload


def test_an_uploaded_but_unpublished_post_image_is_the_owners_only(alice, carol, as_user) -> None:
    asset = _ready_asset(alice)
    variant = asset.variants.get(format="jpeg", width=320)
    url = reverse("imaging:variant", args=[variant.sha256, variant.extension])
    assert as_user(carol).get(url).status_code == 404
    assert as_user(alice).get(url).status_code == 200


def test_editing_keeps_the_images(alice, as_user) -> None:
    post, asset, _ = _post_with_image(alice)
    post_edit(author=alice, post_id=post.pk, body="new words")
    assert list(PostAttachment.objects.filter(post=post).values_list("asset_id", flat=True)) == [
        asset.pk
    ]
    page = main_of(as_user(None).get(f"/posts/{post.pk}", follow=True))
    assert 'alt="a study"' in page
    assert "new words" in page


def test_a_processing_image_shows_to_its_author_only(alice, bob, as_user) -> None:
    from tests.factories import MediaAssetFactory

    asset = MediaAssetFactory.create(owner=alice, purpose=Purpose.POST, status="processing")
    post = post_create(author=alice, body="soon", attachments=[AttachmentSpec(asset.pk, "soon")])
    mine = main_of(as_user(alice).get(f"/posts/{post.pk}", follow=True))
    assert "Processing…" in mine
    theirs = main_of(as_user(bob).get(f"/posts/{post.pk}", follow=True))
    assert "post-gallery" not in theirs


def test_editing_improves_descriptions_and_keeps_the_images(alice, as_user) -> None:
    from tests.factories import MediaAssetFactory

    asset = MediaAssetFactory.create(owner=alice, purpose=Purpose.POST)
    post = post_create(author=alice, body="draft", attachments=[AttachmentSpec(asset.pk, "img")])
    attachment = post.attachments.get()
    edit = reverse("social:post-edit", args=["alice", post.pk])
    owner = as_user(alice)
    form = main_of(owner.get(edit))
    assert f'name="alt_{attachment.pk}"' in form
    assert re.search(r">\s*img</textarea>", form)
    bad = owner.post(edit, {"body": "draft", f"alt_{attachment.pk}": ""})
    assert bad.status_code == 400
    assert "Describe the image" in main_of(bad)
    ok = owner.post(edit, {"body": "", f"alt_{attachment.pk}": "A heron, in ink"})
    assert ok.status_code == 302
    attachment.refresh_from_db()
    assert attachment.alt_text == "A heron, in ink"
    assert post.attachments.get().asset_id == asset.pk
    post.refresh_from_db()
    assert post.body == ""
    assert post.revisions.count() == 1  # the text changed; the description is not versioned


def test_compose_still_checks_the_csrf_token(alice) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = _compose(client, body="hi", image_0=_file(made.jpeg(320, 240)), alt_0="a")
    assert response.status_code == 403
    assert not Post.objects.exists()
    assert not MediaAsset.objects.exists()
