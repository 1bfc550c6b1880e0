"""/api/v1/media (upload through imaging's service) and images on posts in the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from impasto.imaging.models import MediaAsset, Purpose
from impasto.social.models import Post
from impasto.social.services.graph import block_create, follow_create
from tests.api.social.conftest import Api, assert_error
from tests.factories import MediaAssetFactory
from tests.imaging import images as made
from tests.imaging.conftest import _isolated_storage  # noqa: F401 - autouse: own media folders

MEDIA = "/api/v1/media"
POSTS = "/api/v1/posts"


def upload(caller: Api, data: bytes, name: str = "work.jpg", **fields: Any) -> Any:
    body = {"file": SimpleUploadedFile(name, data, "application/octet-stream"), **fields}
    headers = dict(caller.headers)
    if "key" in fields:
        headers["Idempotency-Key"] = body.pop("key")
    return caller.client.post(MEDIA, body, headers=headers)


@pytest.mark.django_db(transaction=True)
def test_upload_then_post_with_the_image(alice, bob, api) -> None:
    response = upload(api(alice), made.jpeg(640, 480))
    assert response.status_code == 201, response.content
    media = response.json()
    assert media["purpose"] == "post"
    # The immediate task backend processed it on commit: poll to see it ready.
    polled = api(alice).get(f"{MEDIA}/{media['id']}").json()
    assert polled["status"] == "ready"
    assert {v["format"] for v in polled["variants"]} == {"avif", "webp", "jpeg"}
    assert polled["blurhash"]
    assert polled["dominant_color"].startswith("#")
    created = api(alice).post(
        POSTS,
        {"body": "", "images": [{"id": media["id"], "alt_text": "A heron in ink"}]},
    )
    assert created.status_code == 201, created.content
    image = created.json()["images"][0]
    assert (image["id"], image["alt_text"], image["decorative"]) == (
        media["id"],
        "A heron in ink",
        False,
    )
    assert (image["width"], image["height"]) == (640, 480)
    jpeg = next(v for v in image["variants"] if v["format"] == "jpeg" and v["width"] == 320)
    path = jpeg["url"].split("://", 1)[-1].split("/", 1)[1]
    assert api(None).client.get("/" + path).status_code == 200
    seen = api(bob).get(f"{POSTS}/{created.json()['id']}").json()
    assert seen["images"][0]["variants"] == image["variants"]
    # Another person cannot read the upload's status.
    assert_error(api(bob).get(f"{MEDIA}/{media['id']}"), 404)


@pytest.mark.django_db(transaction=True)
def test_an_idempotency_key_returns_the_first_upload(alice, api) -> None:
    first = upload(api(alice), made.jpeg(320, 240), key="retry-1")
    again = upload(api(alice), made.jpeg(320, 240), key="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert MediaAsset.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "scan.png", 415, "PDF"),
        (b"", "empty.jpg", 422, "empty"),
    ],
)
def test_refused_uploads_say_why_in_the_api_error_format(
    alice, api, data, name, status, words
) -> None:
    body = assert_error(upload(api(alice), data, name), status)
    assert words in body["detail"]
    assert body["errors"][0]["field"] == "file"
    assert not MediaAsset.objects.exists()


@pytest.mark.django_db
def test_upload_needs_a_file_a_write_token_and_a_known_purpose(alice, api, make_user) -> None:
    assert_error(api(alice).client.post(MEDIA, {}, headers=api(alice).headers), 422)
    assert_error(upload(api(None), made.jpeg(320, 240)), 401)
    assert_error(upload(Api(alice, scope="read"), made.jpeg(320, 240)), 403)
    assert_error(upload(api(alice), made.jpeg(320, 240), purpose="poster"), 422)
    assert not MediaAsset.objects.exists()


@pytest.mark.django_db
@override_settings(IMPASTO_UPLOAD_MAX_BYTES=2000)
def test_too_large_is_413_and_stores_nothing(alice, api) -> None:
    body = assert_error(upload(api(alice), made.jpeg(640, 480)), 413)
    assert body["errors"][0]["field"] == "file"
    assert not MediaAsset.objects.exists()


@pytest.mark.django_db
def test_another_persons_image_cannot_be_attached(alice, bob, api) -> None:
    theirs = MediaAssetFactory.create(owner=bob, purpose=Purpose.POST)
    failed = MediaAssetFactory.create(owner=alice, purpose=Purpose.POST, status="failed")
    for asset in (theirs, failed):
        body = assert_error(
            api(alice).post(
                POSTS, {"body": "x", "images": [{"id": str(asset.pk), "alt_text": "a"}]}
            ),
            422,
        )
        assert body["errors"][0]["field"] == "images"
        assert "not yours or is not ready" in body["errors"][0]["message"]
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_images_must_be_described_and_at_most_ten(alice, api) -> None:
    mine = [MediaAssetFactory.create(owner=alice, purpose=Purpose.POST) for _ in range(11)]
    undescribed = api(alice).post(POSTS, {"images": [{"id": str(mine[0].pk)}]})
    assert "Describe image 1" in assert_error(undescribed, 422)["errors"][0]["message"]
    eleven = [{"id": str(a.pk), "decorative": True} for a in mine]
    assert_error(api(alice).post(POSTS, {"images": eleven}), 422)
    decorative = api(alice).post(POSTS, {"images": eleven[:10]})
    assert decorative.status_code == 201, decorative.content
    assert [i["alt_text"] for i in decorative.json()["images"]] == [""] * 10


@pytest.mark.django_db
def test_a_stranger_cannot_see_a_followers_only_posts_images(
    alice, bob, carol, api, make_user
) -> None:
    blocked = make_user()
    block_create(blocker=alice, blocked=blocked)
    follow_create(follower=bob, followee=alice)
    asset = MediaAssetFactory.create(owner=alice, purpose=Purpose.POST)
    created = api(alice).post(
        POSTS,
        {
            "body": "for followers",
            "visibility": "followers",
            "images": [{"id": str(asset.pk), "alt_text": "a sketch"}],
        },
    )
    post_id = created.json()["id"]
    assert api(bob).get(f"{POSTS}/{post_id}").json()["images"][0]["alt_text"] == "a sketch"
    for reader in (None, carol, blocked):
        assert_error(api(reader).get(f"{POSTS}/{post_id}"), 404)
    # Nor through the timeline of her posts.
    listed = api(carol).get("/api/v1/profiles/alice/posts").json()
    assert all(item["id"] != post_id for item in listed["items"])


@pytest.mark.django_db
def test_a_quote_carries_the_quoted_posts_images(alice, bob, api) -> None:
    asset = MediaAssetFactory.create(owner=alice, purpose=Purpose.POST)
    original = api(alice).post(
        POSTS, {"body": "ink study", "images": [{"id": str(asset.pk), "alt_text": "A heron"}]}
    )
    assert original.status_code == 201, original.content
    quoting = api(bob).post(POSTS, {"body": "look at this", "quote_of": original.json()["id"]})
    assert quoting.status_code == 201, quoting.content
    assert quoting.json()["images"] == []  # bob's own post has none
    quote = api(bob).get(f"{POSTS}/{quoting.json()['id']}").json()["quote"]
    assert quote["id"] == original.json()["id"]
    assert [(i["id"], i["alt_text"]) for i in quote["images"]] == [(str(asset.pk), "A heron")]
    assert quote["images"][0]["variants"] == original.json()["images"][0]["variants"]
    # The same shape in a timeline.
    listed = api(alice).get("/api/v1/profiles/bob/posts").json()["items"]
    assert listed[0]["quote"]["images"][0]["alt_text"] == "A heron"
