"""Which uploaded images a person may attach: the seam to the image pipeline.

The image pipeline (``impasto.imaging``, ``Asset`` with ready/processing/held/failed) is not
merged yet. Until it is, no asset is usable and attaching images is refused with a clear
message. TODO(lead, when imaging lands): in ``SocialConfig.ready`` (or imaging's), call::

    register_asset_checker(lambda owner_id, ids: set(
        Asset.objects.filter(pk__in=ids, owner_id=owner_id, status=Asset.Status.READY)
        .values_list("pk", flat=True)))

The check is by owner, so nobody can attach someone else's image by guessing its id (IDOR).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

AssetChecker = Callable[[int, Collection[int]], set[int]]


def _nothing_usable(owner_id: int, asset_ids: Collection[int]) -> set[int]:
    return set()


_checker: AssetChecker = _nothing_usable


def register_asset_checker(checker: AssetChecker) -> AssetChecker:
    """Install ``checker`` and return the previous one (tests restore it)."""
    global _checker
    previous, _checker = _checker, checker
    return previous


def images_available() -> bool:
    return _checker is not _nothing_usable


def usable_asset_ids(*, owner_id: int, asset_ids: Collection[int]) -> set[int]:
    """The ids among ``asset_ids`` that belong to ``owner_id`` and are ready to publish."""
    if not asset_ids:
        return set()
    return _checker(owner_id, asset_ids) & set(asset_ids)
