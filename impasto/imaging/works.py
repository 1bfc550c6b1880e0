"""The works hook: which images make up a "work" for cloaking (docs/cloaking.md "Wiring").

Without any registration a work is one image (``work_id`` is the asset's id). An app that
groups images (art's projects) registers a :class:`WorkLister` in its AppConfig.ready; imaging
never imports it. ``assets_of`` answers the owner's image ids of a work (``None`` when the id
is not one of this lister's works, or not the owner's); ``work_of`` answers the work an image
belongs to (``None`` when none of this lister's), so an image added to a project is cloaked
as part of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkLister:
    name: str
    assets_of: Callable[[int, int], list[int] | None]  # (owner_id, work_id)
    work_of: Callable[[int], int | None]  # (asset_id)


_listers: dict[str, WorkLister] = {}


def register_work_lister(lister: WorkLister) -> None:
    _listers[lister.name] = lister


def work_assets(*, owner_id: int, work_id: int) -> list[int] | None:
    """The first registered lister's answer for this work, or ``None``."""
    for lister in _listers.values():
        found = lister.assets_of(owner_id, work_id)
        if found is not None:
            return found
    return None


def work_of(*, asset_id: int) -> int:
    """The work this image belongs to: a registered lister's answer, else the image itself."""
    for lister in _listers.values():
        found = lister.work_of(asset_id)
        if found is not None:
            return found
    return asset_id
