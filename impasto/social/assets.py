"""Which uploaded images a person may attach to a post: the seam to ``impasto.imaging``.

An image is attachable when it is an ``imaging.MediaAsset`` of the author's, uploaded for a
post (``purpose=post``), and still ``processing`` or ``ready``: a post may be published while
its images are being processed (they show to others once ready), but never with an image
that failed or is held for review. The check is by owner, so nobody can attach someone
else's image by guessing its id (IDOR), and one answer covers "not yours" and "not usable".
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from impasto.imaging.models import MediaAsset, Purpose

AssetChecker = Callable[[int, Collection[int]], set[int]]

ATTACHABLE_STATUSES = (MediaAsset.Status.PROCESSING, MediaAsset.Status.READY)


def _owned_post_images(owner_id: int, asset_ids: Collection[int]) -> set[int]:
    return set(
        MediaAsset.objects.filter(
            pk__in=list(asset_ids),
            owner_id=owner_id,
            purpose=Purpose.POST,
            status__in=ATTACHABLE_STATUSES,
        ).values_list("pk", flat=True)
    )


_checker: AssetChecker = _owned_post_images


def register_asset_checker(checker: AssetChecker) -> AssetChecker:
    """Install ``checker`` and return the previous one (tests restore it)."""
    global _checker
    previous, _checker = _checker, checker
    return previous


def usable_asset_ids(*, owner_id: int, asset_ids: Collection[int]) -> set[int]:
    """The ids among ``asset_ids`` that ``owner_id`` may attach to a post now."""
    if not asset_ids:
        return set()
    return _checker(owner_id, asset_ids) & set(asset_ids)
