"""Post uploads nobody attached to a post are deleted after a day, files and all; published,
held, recent and portfolio images are not."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.services import asset_upload
from impasto.social.services.attachments import AttachmentSpec, unattached_uploads_purge
from impasto.social.services.posts import post_create
from tests.imaging import images
from tests.imaging.conftest import _isolated_storage  # noqa: F401 - autouse: own media folders

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(tmp_path: Path, django_capture_on_commit_callbacks: Any) -> Any:
    def run(owner: User, n: int, *, purpose: str = Purpose.POST, hours_ago: float = 25) -> Any:
        path = tmp_path / f"upload-{n}.jpg"
        path.write_bytes(images.jpeg(400 + n, 300))
        with django_capture_on_commit_callbacks(execute=True):
            asset, _created = asset_upload(owner=owner, path=path, purpose=purpose)
        MediaAsset.objects.filter(pk=asset.pk).update(
            created_at=timezone.now() - timedelta(hours=hours_ago)
        )
        asset.refresh_from_db()
        return asset

    return run


def _files(asset: MediaAsset, tmp_path: Path) -> list[Path]:
    return [tmp_path / "private" / asset.original_key] + [
        tmp_path / "media" / v.key for v in asset.variants.all()
    ]


def test_only_old_unattached_post_uploads_are_deleted_with_their_files(
    user: User, uploaded: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    abandoned = uploaded(user, 1)
    posted = uploaded(user, 2)
    post_create(author=user, body="", attachments=[AttachmentSpec(posted.pk, "A heron in ink")])
    recent = uploaded(user, 3, hours_ago=23)
    artwork = uploaded(user, 4, purpose=Purpose.ARTWORK)
    held = uploaded(user, 5)
    MediaAsset.objects.filter(pk=held.pk).update(status=MediaAsset.Status.HELD)
    gone = _files(abandoned, tmp_path)
    kept = [f for a in (posted, recent, artwork, held) for f in _files(a, tmp_path)]
    assert all(f.exists() for f in gone + kept)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_unattached_uploads", stdout=io.StringIO())

    assert set(MediaAsset.objects.values_list("pk", flat=True)) == {
        posted.pk,
        recent.pk,
        artwork.pk,
        held.pk,
    }
    assert not any(f.exists() for f in gone)
    assert all(f.exists() for f in kept)
    # A day later the recent one goes too; running it again changes nothing else.
    with django_capture_on_commit_callbacks(execute=True):
        assert unattached_uploads_purge(now=timezone.now() + timedelta(hours=2)) == 1
    assert not MediaAsset.objects.filter(pk=recent.pk).exists()
    assert unattached_uploads_purge(now=timezone.now() + timedelta(hours=2)) == 0


def test_uploads_kept_at_the_front_do_not_stop_the_sweep_reaching_the_others(
    user: User, uploaded: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A page of candidates that are all kept (here: under review) is paged past, not rescanned."""
    from impasto.moderation.models import Case

    kept = [uploaded(user, n) for n in (1, 2, 3)]
    for asset in kept:
        Case.objects.create(
            target_type="asset", target_id=asset.pk, subject=user, source=Case.Source.REPORT
        )
    abandoned = uploaded(user, 4)
    assert abandoned.pk > max(asset.pk for asset in kept)

    with django_capture_on_commit_callbacks(execute=True):
        assert unattached_uploads_purge(limit=2) == 1
    assert not MediaAsset.objects.filter(pk=abandoned.pk).exists()
    assert MediaAsset.objects.filter(pk__in=[a.pk for a in kept]).count() == 3
