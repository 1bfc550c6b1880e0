"""Deleting assets in two phases: the rows in one transaction (with a purge row per file),
the files once it commits. An erased account takes its images with it this way: every
original (private storage) and every display variant (public storage) of each upload."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impasto.accounts.models import Profile, User
from impasto.accounts.services import account_deletion_request, account_erase
from impasto.api.services import token_create
from impasto.imaging.models import BlobPurge, MediaAsset, MediaVariant, Purpose
from impasto.imaging.services import asset_upload, assets_delete, blobs_purge
from tests.api.conftest import bearer
from tests.imaging import images
from tests.imaging.conftest import stored_files

pytestmark = pytest.mark.django_db


def _uploaded(owner: User, tmp_path: Path, n: int, capture: Any, **extra: Any) -> MediaAsset:
    path = tmp_path / f"work-{owner.pk}-{n}.jpg"
    path.write_bytes(images.jpeg(640 + n, 480))
    with capture(execute=True):
        asset, _created = asset_upload(owner=owner, path=path, **extra)
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY, asset.last_error
    return asset


def test_erasure_deletes_every_original_and_variant_of_the_account(
    user: User, other_user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    mine = [
        _uploaded(user, tmp_path, 1, capture),
        _uploaded(user, tmp_path, 2, capture, purpose=Purpose.POST),
    ]
    theirs = _uploaded(other_user, tmp_path, 3, capture)
    private, public = tmp_path / "private", tmp_path / "media"
    keys = {a.original_key for a in mine}
    variant_keys = set(MediaVariant.objects.filter(asset__in=mine).values_list("key", flat=True))
    assert len(variant_keys) > 10
    assert {p.relative_to(private).as_posix() for p in stored_files(private)} >= keys
    kept = set(stored_files(private)) - {private / k for k in keys}
    kept |= set(stored_files(public)) - {public / k for k in variant_keys}

    account_deletion_request(user=user)
    later = timezone.now() + timedelta(days=60)
    with capture(execute=True):
        assert account_erase(user_id=user.pk, now=later) is True

    assert not MediaAsset.objects.filter(owner_id=user.pk).exists()
    assert set(stored_files(private)) | set(stored_files(public)) == kept
    # Another account's image is untouched, files and all.
    assert (private / theirs.original_key).exists()
    assert all((public / v.key).exists() for v in theirs.variants.all())


def _files_of(asset: MediaAsset, tmp_path: Path) -> list[Path]:
    return [tmp_path / "private" / asset.original_key] + [
        tmp_path / "media" / v.key for v in asset.variants.all()
    ]


def test_a_rolled_back_deletion_deletes_no_file(
    user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    files = _files_of(asset, tmp_path)

    def failing_request() -> None:
        with transaction.atomic():
            assert assets_delete(asset_ids=[asset.pk]) == 1
            raise RuntimeError("the request failed after the delete")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="failed after the delete"),
    ):
        failing_request()
    assert callbacks == []  # nothing was queued for after a commit that never came
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not BlobPurge.objects.exists()
    assert all(f.exists() for f in files)


def test_the_sweep_purges_what_a_crash_left_and_keeps_a_file_another_variant_names(
    user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    second = _uploaded(user, tmp_path, 2, django_capture_on_commit_callbacks)
    # The second asset's smallest variant names the same file as the first's (same bytes).
    shared = first.variants.order_by("width", "format").first()
    assert shared is not None
    MediaVariant.objects.filter(pk=second.variants.order_by("width", "format")[0].pk).update(
        sha256=shared.sha256, key=shared.key
    )
    files = _files_of(first, tmp_path)
    # The deletion commits but its purge task never runs (the worker died).
    assert assets_delete(asset_ids=[first.pk]) == 1
    assert not MediaAsset.objects.filter(pk=first.pk).exists()
    assert all(f.exists() for f in files)
    assert BlobPurge.objects.count() == len(files)

    call_command("imaging_sweep", stdout=io.StringIO())

    assert not BlobPurge.objects.exists()
    gone = [f for f in files if not f.exists()]
    assert [f for f in files if f.exists()] == [tmp_path / "media" / shared.key]
    assert len(gone) == len(files) - 1
    assert blobs_purge() == 0  # nothing left; running again is harmless


def test_a_failing_storage_keeps_the_purge_for_the_next_sweep(
    user: User,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    files = _files_of(asset, tmp_path)
    assets_delete(asset_ids=[asset.pk])
    real_delete = FileSystemStorage.delete

    def unreachable(self: FileSystemStorage, name: str) -> None:
        raise OSError("the bucket is unreachable")

    monkeypatch.setattr(FileSystemStorage, "delete", unreachable)
    assert blobs_purge() == 0
    assert BlobPurge.objects.count() == len(files)
    monkeypatch.setattr(FileSystemStorage, "delete", real_delete)
    assert blobs_purge() == len(files)
    assert not any(f.exists() for f in files)


# --- an artist deletes one of their uploads (web and API) ------------------------------------


def test_an_artist_deletes_an_upload_in_no_project_or_post(
    user: User,
    user_client: Client,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    files = _files_of(asset, tmp_path)
    url = reverse("imaging:asset-delete", args=[asset.pk])
    assert url in user_client.get(reverse("imaging:upload")).content.decode()
    page = user_client.get(url)
    assert page.status_code == 200
    assert "Delete this image for good?" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = user_client.post(url)
    assert done.status_code == 302
    assert done["Location"] == reverse("imaging:upload")
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not any(f.exists() for f in files)
    assert not BlobPurge.objects.exists()
    assert user_client.get(url).status_code == 404


def test_nobody_deletes_someone_elses_upload(
    user: User, other_user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    asset = _uploaded(other_user, tmp_path, 1, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(user)
    url = reverse("imaging:asset-delete", args=[asset.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    _token, raw = token_create(user=user, name="app", scope="write")
    assert Client().delete(f"/api/v1/media/{asset.pk}", headers=bearer(raw)).status_code == 404
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    assert all(f.exists() for f in _files_of(asset, tmp_path))


def test_an_upload_in_a_project_is_taken_out_there_first(
    user: User, user_client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from impasto.art.services import project_create, project_image_attach, project_image_remove

    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    project = project_create(owner=user, title="Harbour at night", no_ai_declared=True)
    image = project_image_attach(
        user=user, project_id=project.pk, asset_id=asset.pk, alt_text="Boats lit by lamps"
    )
    url = reverse("imaging:asset-delete", args=[asset.pk])
    page = user_client.get(url).content.decode()
    assert "Project “Harbour at night”" in page
    assert reverse("art:project-edit", args=[project.pk]) in page
    assert "Delete image" not in page  # no delete button while it is used
    refused = user_client.post(url)
    assert refused.status_code == 409
    assert "still in use" in refused.content.decode()
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    assert project.images.filter(pk=image.pk).exists()

    project_image_remove(user=user, project_id=project.pk, image_id=image.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert user_client.post(url).status_code == 302
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()


def test_the_api_deletes_an_upload_unless_a_post_shows_it_or_it_is_processing(
    user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from impasto.social.services.attachments import AttachmentSpec
    from impasto.social.services.posts import post_create, post_delete

    _token, raw = token_create(user=user, name="app", scope="write")
    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks, purpose=Purpose.POST)
    post = post_create(author=user, body="", attachments=[AttachmentSpec(asset.pk, "Ink heron")])
    url = f"/api/v1/media/{asset.pk}"
    in_use = Client().delete(url, headers=bearer(raw))
    assert in_use.status_code == 409, in_use.content
    assert "Your post of" in in_use.json()["detail"]
    _read_token, read_only = token_create(user=user, name="reader", scope="read")
    assert Client().delete(url, headers=bearer(read_only)).status_code == 403

    post_delete(user=user, post_id=post.pk)  # a post is deleted whole, then its image may go
    files = _files_of(asset, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        done = Client().delete(url, headers=bearer(raw))
    assert done.status_code == 204, done.content
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not any(f.exists() for f in files)
    assert Client().delete(url, headers=bearer(raw)).status_code == 404

    busy = _uploaded(user, tmp_path, 2, django_capture_on_commit_callbacks)
    MediaAsset.objects.filter(pk=busy.pk).update(status=MediaAsset.Status.PROCESSING)
    refused = Client().delete(f"/api/v1/media/{busy.pk}", headers=bearer(raw))
    assert refused.status_code == 409
    assert "still being processed" in refused.json()["detail"]
    assert MediaAsset.objects.filter(pk=busy.pk).exists()


# --- what keeps an upload: moderation evidence, profiles, projects, in-flight jobs ---------


def _refusal(client: Client, asset: MediaAsset) -> str:
    answer = client.post(reverse("imaging:asset-delete", args=[asset.pk]))
    assert answer.status_code == 409, answer.status_code
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    return answer.content.decode()


def test_moderation_evidence_is_kept_from_its_owner(
    user: User, user_client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """A held upload, one with an open case, and the image of a post a moderator removed."""
    from impasto.moderation.models import Case
    from impasto.social.models import Post
    from impasto.social.services.attachments import AttachmentSpec, unattached_uploads_purge
    from impasto.social.services.posts import post_create

    capture = django_capture_on_commit_callbacks
    held = _uploaded(user, tmp_path, 1, capture)
    MediaAsset.objects.filter(pk=held.pk).update(status=MediaAsset.Status.HELD)
    assert "held for review" in _refusal(user_client, held)

    flagged = _uploaded(user, tmp_path, 2, capture, purpose=Purpose.POST)  # weak evidence: ready
    case = Case.objects.create(
        target_type="asset",
        target_id=flagged.pk,
        subject=user,
        source=Case.Source.DETECTION,
        status=Case.Status.OPEN,
    )
    page = _refusal(user_client, flagged)
    assert "A review by the moderators" in page
    assert reverse("moderation:yours", args=[case.pk]) in page
    MediaAsset.objects.filter(pk=flagged.pk).update(created_at=timezone.now() - timedelta(days=2))
    with capture(execute=True):
        assert unattached_uploads_purge() == 0  # in no post, but the moderators' evidence
    assert MediaAsset.objects.filter(pk=flagged.pk).exists()

    shown = _uploaded(user, tmp_path, 3, capture, purpose=Purpose.POST)
    post = post_create(author=user, body="", attachments=[AttachmentSpec(shown.pk, "Ink heron")])
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())  # a moderator's removal
    assert "removed by the moderators" in _refusal(user_client, shown)


def test_a_deleted_project_under_review_keeps_its_images_until_the_case_is_decided(
    user: User, user_client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from impasto.art.services import project_create, project_delete, project_image_attach
    from impasto.moderation.models import Case

    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    project = project_create(owner=user, title="Harbour at night", no_ai_declared=True)
    project_image_attach(
        user=user, project_id=project.pk, asset_id=asset.pk, alt_text="Boats lit by lamps"
    )
    case = Case.objects.create(
        target_type="project", target_id=project.pk, subject=user, source=Case.Source.REPORT
    )
    project_delete(user=user, project_id=project.pk)  # the owner deletes the reported project
    page = _refusal(user_client, asset)
    assert "deleted project “Harbour at night”, under review" in page
    assert reverse("moderation:yours", args=[case.pk]) in page

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)  # decided: it may go
    with django_capture_on_commit_callbacks(execute=True):
        answer = user_client.post(reverse("imaging:asset-delete", args=[asset.pk]))
    assert answer.status_code == 302
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()


def test_the_avatar_shown_now_stays_and_an_earlier_one_can_go(
    user: User, user_client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    earlier = _uploaded(user, tmp_path, 1, capture, purpose=Purpose.AVATAR)
    current = _uploaded(user, tmp_path, 2, capture, purpose=Purpose.AVATAR)
    avatar = Profile.objects.get(user=user).avatar.name
    assert avatar in {v.key for v in current.variants.all()}
    assert "Your avatar" in _refusal(user_client, current)
    with capture(execute=True):
        assert (
            user_client.post(reverse("imaging:asset-delete", args=[earlier.pk])).status_code == 302
        )
    assert not MediaAsset.objects.filter(pk=earlier.pk).exists()
    assert (tmp_path / "media" / avatar).exists()


def test_a_post_upload_in_a_project_is_kept_by_the_purge_and_art_takes_artwork_only(
    user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import ValidationError

    from impasto.art.models import ProjectImage
    from impasto.art.services import project_create, project_image_attach
    from impasto.social.services.attachments import unattached_uploads_purge

    capture = django_capture_on_commit_callbacks
    project = project_create(owner=user, title="Harbour", no_ai_declared=True)
    for_a_post = _uploaded(user, tmp_path, 1, capture, purpose=Purpose.POST)
    with pytest.raises(ValidationError, match="uploaded for a post"):
        project_image_attach(
            user=user, project_id=project.pk, asset_id=for_a_post.pk, alt_text="Boats"
        )
    # One attached before art refused them stays, purge or not.
    ProjectImage.objects.create(project=project, asset=for_a_post, alt_text="Boats", position=0)
    MediaAsset.objects.filter(pk=for_a_post.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    with capture(execute=True):
        assert unattached_uploads_purge() == 0
    assert MediaAsset.objects.filter(pk=for_a_post.pk).exists()
    assert all(f.exists() for f in _files_of(for_a_post, tmp_path))


def test_a_candidate_attached_meanwhile_is_kept(
    user: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The sweep's candidate list is checked again under lock (an attach won the race)."""
    from impasto.imaging.services import assets_delete_unused
    from impasto.social.services.attachments import AttachmentSpec
    from impasto.social.services.posts import post_create

    capture = django_capture_on_commit_callbacks
    spare = _uploaded(user, tmp_path, 1, capture, purpose=Purpose.POST)
    raced = _uploaded(user, tmp_path, 2, capture, purpose=Purpose.POST)
    post_create(author=user, body="", attachments=[AttachmentSpec(raced.pk, "Ink heron")])
    with capture(execute=True):
        assert assets_delete_unused(asset_ids=[spare.pk, raced.pk]) == 1
    assert set(MediaAsset.objects.values_list("pk", flat=True)) == {raced.pk}


def test_files_stored_for_an_upload_deleted_mid_job_are_purged(
    user: User,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The account is erased while the upload's job runs: the variants it stores have no row
    to go to, and must not stay in the public storage."""
    from impasto.imaging import services

    path = tmp_path / "work.jpg"
    path.write_bytes(images.jpeg(700, 500))
    with django_capture_on_commit_callbacks(execute=False):
        asset, _created = asset_upload(owner=user, path=path)  # the job is not run yet
    store = services._store_variant
    deleted: list[int] = []

    def store_then_lose_the_asset(owner_asset: MediaAsset, variant: Any) -> MediaVariant:
        if not deleted:
            deleted.append(assets_delete(asset_ids=[owner_asset.pk]))
        return store(owner_asset, variant)

    monkeypatch.setattr(services, "_store_variant", store_then_lose_the_asset)
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_process(asset_id=asset.pk)
    assert deleted == [1]
    assert stored_files(tmp_path / "media") == []
    assert stored_files(tmp_path / "private") == []
    assert not BlobPurge.objects.exists()


def test_a_file_that_cannot_be_deleted_does_not_hold_up_the_others(
    user: User,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asset = _uploaded(user, tmp_path, 1, django_capture_on_commit_callbacks)
    files = _files_of(asset, tmp_path)
    stuck = asset.original_key
    assets_delete(asset_ids=[asset.pk])
    real_delete = FileSystemStorage.delete

    def delete(self: FileSystemStorage, name: str) -> None:
        if name == stuck:
            raise PermissionError("locked by a backup")
        real_delete(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    assert blobs_purge() == len(files) - 1
    assert [f for f in files if f.exists()] == [tmp_path / "private" / stuck]
    left = BlobPurge.objects.get()
    assert (left.key, left.attempts) == (stuck, 1)
