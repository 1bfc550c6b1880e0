from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from impasto.imaging.models import MediaAsset, MediaVariant
from tests.factories import publish_artwork
from tests.imaging import images

pytestmark = pytest.mark.django_db(transaction=True)


def upload(client: Client, data: bytes, name: str = "work.jpg", **extra: str):
    return client.post(
        reverse("imaging:api-upload"),
        {"file": _file(data, name), **extra},
        headers={k: v for k, v in extra.items() if k == "Idempotency-Key"},
    )


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_upload_jpeg_becomes_ready_with_full_variant_set(user_client, user, tmp_path: Path):
    response = upload(user_client, images.jpeg(2400, 1600))
    assert response.status_code == 201, response.content
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == MediaAsset.Status.READY, asset.last_error
    widths = sorted({v.width for v in asset.variants.all()})
    assert widths == [320, 640, 1080, 1600, 2048]
    formats = {(v.format, v.width) for v in asset.variants.all()}
    assert len(formats) == 15
    assert asset.blurhash
    assert asset.dominant_color.startswith("#")
    assert len(asset.phash) == 16
    status = user_client.get(reverse("imaging:api-asset", args=[asset.pk])).json()
    assert status["status"] == "ready"
    assert len(status["variants"]) == 15


def _variant_bytes(asset: MediaAsset, fmt: str, width: int | None = None) -> bytes:
    from django.core.files.storage import storages

    variants = [v for v in asset.variants.all() if v.format == fmt]
    chosen = (
        max(variants, key=lambda v: v.width)
        if width is None
        else next(v for v in variants if v.width == width)
    )
    with storages["default"].open(chosen.key, "rb") as handle:
        return handle.read()


def test_variants_are_upright_srgb_stripped_and_carry_rights(user_client, user):
    import pyvips

    from impasto.imaging.pipeline import rights

    response = upload(user_client, images.jpeg_with_exif(900, 600, orientation=6))
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == "ready", asset.last_error
    # Orientation 6: stored 900x600 landscape, shown 600x900 portrait.
    assert (asset.width, asset.height) == (600, 900)
    for fmt in ("jpeg", "webp", "avif"):
        data = _variant_bytes(asset, fmt)
        image = pyvips.Image.new_from_buffer(data, "")
        assert image.height > image.width, fmt
        fields = set(image.get_fields())
        assert "exif-data" not in fields, f"{fmt} kept EXIF"
        assert b"Impasto Test Camera" not in data
        assert b"Model X" not in data
        xmp = image.get("xmp-data")
        assert rights.DATA_MINING_PROHIBITED.encode() in xmp
        assert user.name.encode() in xmp
        store = rights.read_manifest(data, rights.C2PA_MIME[fmt])
        assert store is not None
        assert store["validation_state"] == "Valid"
        assert [s["code"] for s in store["validation_status"]] == ["signingCredential.untrusted"]
        manifest = store["manifests"][store["active_manifest"]]
        training = next(a for a in manifest["assertions"] if a["label"] == "cawg.training-mining")
        assert {e["use"] for e in training["data"]["entries"].values()} == {"notAllowed"}


def test_wide_gamut_source_is_converted_to_srgb(user_client):
    import pyvips

    response = upload(user_client, images.adobe_rgb_jpeg())
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == "ready", asset.last_error
    image = pyvips.Image.new_from_buffer(_variant_bytes(asset, "jpeg"), "")
    red, green, blue = (image[i].avg() for i in range(3))
    # Read without its profile, the P3 file's red would be ~(234, 51, 35): converted back to
    # sRGB it is pure red again (within the invisible watermark's and JPEG's noise).
    assert red > 245
    assert green < 25
    assert blue < 25


def test_small_image_is_never_upscaled(user_client):
    response = upload(user_client, images.png(500, 400))
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == "ready", asset.last_error
    assert sorted({v.width for v in asset.variants.all()}) == [320, 500]


def test_heic_is_decoded_in_the_worker(user_client):
    response = upload(user_client, images.heic(800, 600), name="photo.heic")
    assert response.status_code == 201, response.content
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.source_format == "heic"
    assert asset.status == "ready", asset.last_error
    assert sorted({v.width for v in asset.variants.all()}) == [320, 640, 800]


def test_animated_gif_keeps_animation_and_gets_a_poster(user_client):
    import pyvips

    response = upload(user_client, images.animated_gif(frames=4, size=400), name="loop.gif")
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == "ready", asset.last_error
    assert asset.frames == 4
    animated = [v for v in asset.variants.all() if v.animated]
    assert {v.format for v in animated} == {"webp", "avif"}
    posters = {v.format for v in asset.variants.all() if v.kind == "poster"}
    assert posters == {"jpeg", "webp", "avif"}
    webp = next(v for v in animated if v.format == "webp" and v.width == 400)
    from django.core.files.storage import storages

    with storages["default"].open(webp.key, "rb") as handle:
        image = pyvips.Image.new_from_buffer(handle.read(), "", n=-1)
    assert image.get("n-pages") == 4


def test_apng_keeps_animation(user_client):
    response = upload(user_client, images.apng(frames=3, size=320), name="loop.png")
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.frames == 3
    assert asset.status == "ready", asset.last_error
    assert any(v.animated and v.format == "webp" for v in asset.variants.all())


def test_avatar_purpose_is_cropped_square(user_client):
    response = upload(user_client, images.jpeg(1200, 800), purpose="avatar")
    asset = MediaAsset.objects.get(pk=int(response.json()["id"]))
    assert asset.status == "ready", asset.last_error
    assert {(v.width, v.height) for v in asset.variants.all()} == {(256, 256), (512, 512)}


def test_idempotency_key_retry_returns_the_same_asset(user_client, tmp_path):
    data = images.jpeg(640, 480)
    first = upload(user_client, data, **{"Idempotency-Key": "retry-1"})
    second = upload(user_client, data, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert MediaAsset.objects.count() == 1
    from tests.imaging.conftest import stored_files

    assert len(stored_files(tmp_path / "private")) == 1


def test_raw_body_upload_is_accepted(user_client):
    response = user_client.post(
        reverse("imaging:api-upload") + "?alt_text=Night+harbour",
        data=images.jpeg(640, 480),
        content_type="image/jpeg",
    )
    assert response.status_code == 201, response.content
    assert response.json()["alt_text"] == "Night harbour"


def test_upload_needs_login(client):
    response = upload(client, images.jpeg(400, 300))
    assert response.status_code == 401
    assert MediaAsset.objects.count() == 0


def test_variant_served_with_immutable_cache_and_safe_headers(user_client):
    client = Client()
    asset_id = int(upload(user_client, images.jpeg(700, 500)).json()["id"])
    publish_artwork(MediaAsset.objects.get(pk=asset_id))
    variant = MediaVariant.objects.filter(asset_id=asset_id, format="webp").first()
    assert variant is not None
    url = reverse("imaging:variant", args=[variant.sha256, "webp"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; form-action 'none'; sandbox"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"  # type: ignore[attr-defined]
    # Wrong extension for the hash, unknown hash: 404.
    assert client.get(reverse("imaging:variant", args=[variant.sha256, "jpg"])).status_code == 404
    assert client.get(reverse("imaging:variant", args=["0" * 64, "webp"])).status_code == 404


def test_variant_of_a_non_public_asset_is_404_except_for_its_owner(user_client, user):
    from impasto.imaging import selectors

    client = Client()
    asset_id = int(upload(user_client, images.jpeg(700, 500)).json()["id"])
    publish_artwork(MediaAsset.objects.get(pk=asset_id))
    variant = MediaVariant.objects.filter(asset_id=asset_id, format="jpeg").first()
    assert variant is not None
    url = reverse("imaging:variant", args=[variant.sha256, "jpg"])
    MediaAsset.objects.filter(pk=asset_id).update(status="held")
    assert client.get(url).status_code == 404
    owner_response = user_client.get(url)
    assert owner_response.status_code == 200
    assert owner_response["Cache-Control"].startswith("private")
    MediaAsset.objects.filter(pk=asset_id).update(status="ready")

    def drafts_are_private(asset, viewer):
        return False

    selectors.register_access_check(drafts_are_private)
    try:
        assert client.get(url).status_code == 404
        assert user_client.get(url).status_code == 200
    finally:
        selectors.unregister_access_check(drafts_are_private)
    assert client.get(url).status_code == 200


def test_x_accel_redirect_option(user_client, settings):
    client = Client()
    asset_id = int(upload(user_client, images.jpeg(700, 500)).json()["id"])
    publish_artwork(MediaAsset.objects.get(pk=asset_id))
    variant = MediaVariant.objects.filter(asset_id=asset_id, format="jpeg").first()
    assert variant is not None
    settings.IMPASTO_MEDIA_SENDFILE = "x-accel-redirect"
    response = client.get(reverse("imaging:variant", args=[variant.sha256, "jpg"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{variant.key}"
    assert response.content == b""


def test_picture_tag_renders_sources_and_layout_size(user_client, user, django_assert_num_queries):
    from django.template import Context, Template

    from impasto.imaging import selectors

    upload(user_client, images.jpeg(2400, 1600))
    upload(user_client, images.jpeg(1000, 1000, seed=3))
    with django_assert_num_queries(2):
        assets = selectors.assets_of_owner(owner=user)
        # The owner is offered every width (anonymous visitors fewer: tests/protection).
        html = Template(
            "{% load imaging %}{% for a in assets %}{% picture a %}{% endfor %}"
        ).render(Context({"assets": assets, "user": user}))
    assert html.count("<picture") == 2
    assert 'type="image/avif"' in html
    assert 'type="image/webp"' in html
    assert 'loading="lazy"' in html
    assert 'width="1080" height="720"' in html
    assert "2048w" in html
    assert "320w" in html


def test_upload_page_lists_assets_with_bounded_queries(user_client, django_assert_num_queries):
    upload(user_client, images.jpeg(700, 500))
    upload(user_client, images.jpeg(700, 500, seed=4))
    with django_assert_num_queries(
        7
    ):  # session, user, assets, variants, cloak jobs + the shell's graph and unread counts
        response = user_client.get(reverse("imaging:upload"))
    assert response.status_code == 200
    assert response.content.count(b"<picture") == 2


def test_every_variant_carries_the_asset_identity(user_client, settings):
    import pyvips

    from impasto.imaging.pipeline import watermark

    asset_id = int(upload(user_client, images.jpeg(2400, 1600, seed=8)).json()["id"])
    asset = MediaAsset.objects.get(pk=asset_id)
    variants = list(asset.variants.all())
    assert len(variants) == 15
    for variant in variants:
        image = pyvips.Image.new_from_buffer(
            _variant_bytes(asset, variant.format, variant.width), ""
        )
        found, _width = watermark.detect(image, key=settings.IMPASTO_WATERMARK_KEY)
        assert found == asset_id, f"{variant.format} {variant.width}"


def test_form_resubmission_with_the_same_key_creates_one_asset(user_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = images.jpeg(500, 400)
    for _ in range(2):
        response = user_client.post(
            reverse("imaging:upload-create"),
            {
                "file": SimpleUploadedFile("a.jpg", data),
                "purpose": "artwork",
                "source_type": "digitalCreation",
                "human_made": "on",
                "idempotency_key": "form-key-1",
            },
        )
        assert response.status_code == 302
    assert MediaAsset.objects.count() == 1


def test_access_checks_grant_deny_or_abstain(user):
    from django.contrib.auth.models import AnonymousUser

    from impasto.imaging import selectors
    from tests.factories import MediaAssetFactory

    # An avatar: a purpose no app contains, so an asset nobody claims is public.
    asset = MediaAssetFactory.create(owner=user, purpose="avatar")
    stranger = AnonymousUser()
    answers: dict[str, bool | None] = {"a": None, "b": None}

    def check_a(candidate, viewer):
        return answers["a"]

    def check_b(candidate, viewer):
        return answers["b"]

    selectors.register_access_check(check_a)
    selectors.register_access_check(check_b)
    try:
        assert selectors.asset_visible_to(asset=asset, viewer=stranger)  # nobody claims it
        answers["a"] = True
        assert selectors.asset_visible_to(asset=asset, viewer=stranger)
        answers["b"] = False  # one denial hides it, whatever else grants
        assert not selectors.asset_visible_to(asset=asset, viewer=stranger)
        answers["a"] = None  # claimed by b only, and b says no
        assert not selectors.asset_visible_to(asset=asset, viewer=stranger)
        assert selectors.asset_visible_to(asset=asset, viewer=user)  # the owner always
    finally:
        selectors.unregister_access_check(check_a)
        selectors.unregister_access_check(check_b)


def test_a_check_that_contains_a_purpose_hides_what_it_does_not_claim(user):
    from django.contrib.auth.models import AnonymousUser

    from impasto.imaging import selectors
    from tests.factories import MediaAssetFactory, UserFactory

    banner = MediaAssetFactory.create(owner=user, purpose="banner")
    stranger, member = AnonymousUser(), UserFactory.create()
    claimed: set[int] = set()

    def frames(candidate, viewer):  # a container of banners: grants what it holds
        return True if candidate.pk in claimed else None

    assert selectors.asset_visible_to(asset=banner, viewer=stranger)
    selectors.register_access_check(frames, contains=["banner"])
    try:
        assert selectors.contained_purposes() >= {"banner", "artwork", "post"}
        assert not selectors.asset_visible_to(asset=banner, viewer=stranger)  # in no frame
        assert not selectors.asset_visible_to(asset=banner, viewer=member)
        assert selectors.asset_visible_to(asset=banner, viewer=user)  # the owner always
        claimed.add(banner.pk)
        assert selectors.asset_visible_to(asset=banner, viewer=stranger)
    finally:
        selectors.unregister_access_check(frames)
    assert "banner" not in selectors.contained_purposes()
    claimed.clear()
    assert selectors.asset_visible_to(asset=banner, viewer=stranger)
