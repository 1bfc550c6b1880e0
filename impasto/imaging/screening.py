"""The screening hook: what may keep an upload from being published, decided on its original.

The upload task calls :func:`screen_original` with the untouched original, before anything
decodes or re-encodes it. Apps register a screen (moderation registers AI detection in its
AppConfig); imaging never imports them. A screen answers ``True`` to hold the asset (it is
processed as usual, then ``held`` instead of ``ready``: not public, variants ready for a
moderator) or ``False`` to let it through. One ``True`` holds. A screen that raises is
logged and counts as ``False``: screening must never lose an upload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from impasto.imaging.models import MediaAsset

logger = logging.getLogger(__name__)

Screen = Callable[[MediaAsset, Path], bool]
_screens: list[Screen] = []


def register_screen(screen: Screen) -> Screen:
    """Add a screen (usable as a decorator)."""
    if screen not in _screens:
        _screens.append(screen)
    return screen


def unregister_screen(screen: Screen) -> None:
    if screen in _screens:
        _screens.remove(screen)


def screen_original(*, asset: MediaAsset, path: Path) -> bool:
    """True when a registered screen holds this upload (every screen runs: each keeps its own
    record of what it found)."""
    hold = False
    for screen in list(_screens):
        try:
            hold = screen(asset, path) or hold
        except Exception:
            logger.exception("screen %r failed on asset %s", screen, asset.pk)
    return hold
