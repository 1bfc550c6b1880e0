"""The uses hook: where an upload is shown (a project, a post, an appeal), so that deleting it
is refused until it is taken out there (docs/imaging.md, "Deleting").

An app that puts images somewhere registers a finder in its AppConfig.ready; imaging never
imports it (as with ``works`` and the access checks). A finder answers the places that use
one asset, in words for its owner and with the page where it can be taken out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from impasto.imaging.models import MediaAsset


@dataclass(frozen=True)
class AssetUse:
    label: str  # what the owner reads: "Project “Harbour at night”"
    url: str  # the page where it can be taken out


UseFinder = Callable[[MediaAsset], list[AssetUse]]

_finders: dict[str, UseFinder] = {}


def register_use_finder(name: str, finder: UseFinder) -> None:
    _finders[name] = finder


def asset_uses(asset: MediaAsset) -> list[AssetUse]:
    """Every registered finder's places for ``asset``, in registration order."""
    return [use for finder in _finders.values() for use in finder(asset)]
