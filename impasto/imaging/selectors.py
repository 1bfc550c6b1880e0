"""Reads of the imaging app, and the access hook every image URL goes through.

An asset's variants are visible to its owner always, and to anyone else only when the asset
is ready, its owner's account is public, and the registered attachment checks allow it.
Later apps (projects, posts, blocks) register a check that answers for the assets they
attach: a draft project's images, a followers-only post's images, a blocked person.

A check answers ``True`` (the asset belongs to something this viewer may see), ``False``
(it belongs to something the viewer may not see, or the viewer is blocked) or ``None`` (not
mine: the check has no opinion). One ``False`` hides the asset; an asset some check claims
is shown only when at least one check says ``True`` (an image in both a draft project and
a public post is visible through the post).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, MediaVariant

Viewer = User | AnonymousUser
AccessCheck = Callable[[MediaAsset, Viewer], bool | None]
_checks: list[AccessCheck] = []
# Who may see any asset whatever its state (moderators reviewing a held or removed work).
Reviewer = Callable[[Viewer], bool]
_reviewers: list[Reviewer] = []


def register_access_check(check: AccessCheck) -> AccessCheck:
    """Add a check (usable as a decorator): True grants, False denies, None abstains."""
    if check not in _checks:
        _checks.append(check)
    return check


def unregister_access_check(check: AccessCheck) -> None:
    if check in _checks:
        _checks.remove(check)


def register_reviewer(reviewer: Reviewer) -> Reviewer:
    """Let viewers for whom ``reviewer`` answers True see every asset (the moderation desk)."""
    if reviewer not in _reviewers:
        _reviewers.append(reviewer)
    return reviewer


def asset_visible_to(*, asset: MediaAsset, viewer: Viewer) -> bool:
    if viewer.is_authenticated and viewer.pk == asset.owner_id:
        return True
    if viewer.is_authenticated and any(reviewer(viewer) for reviewer in _reviewers):
        return True
    if asset.status != MediaAsset.Status.READY or not asset.owner.is_public:
        return False
    answers = [check(asset, viewer) for check in _checks]
    if False in answers:
        return False
    claimed = any(answer is not None for answer in answers)
    return not claimed or True in answers


def variant_for_url(*, sha256: str, viewer: Viewer) -> MediaVariant | None:
    """The variant served at a content-addressed URL, or None when the viewer may not see it."""
    variant = (
        MediaVariant.objects.select_related("asset", "asset__owner").filter(sha256=sha256).first()
    )
    if variant is None or not asset_visible_to(asset=variant.asset, viewer=viewer):
        return None
    return variant


def asset_for_owner(*, asset_id: int, owner: User) -> MediaAsset | None:
    return (
        MediaAsset.objects.filter(pk=asset_id, owner=owner)
        .prefetch_related(Prefetch("variants", queryset=MediaVariant.objects.order_by("width")))
        .first()
    )


def assets_of_owner(*, owner: User, limit: int = 24) -> list[MediaAsset]:
    return list(
        MediaAsset.objects.filter(owner=owner)
        .select_related("owner")
        .prefetch_related(Prefetch("variants", queryset=MediaVariant.objects.order_by("width")))
        .order_by("-id")[:limit]
    )


def watermark_owner(*, asset_id: int) -> dict[str, Any]:
    """What the database knows of the asset a watermark names."""
    asset = MediaAsset.objects.select_related("owner").filter(pk=asset_id).first()
    if asset is None:
        return {"known": False}
    return {
        "known": True,
        "asset": {
            "id": str(asset.pk),
            "status": asset.status,
            "created_at": asset.created_at.isoformat(),
        },
        "artist": {"handle": asset.owner.handle, "name": asset.owner.name},
    }
