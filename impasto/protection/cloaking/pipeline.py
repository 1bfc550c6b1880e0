"""The adapter between cloaking and the image pipeline, which the pipeline implements.

Cloaking does not know where variants live; the image pipeline (``impasto.imaging``) does. It
provides one class with the four methods of :class:`CloakPipeline` and names it in
``settings.CLOAKING["PIPELINE"]``. Until it does, :class:`UnwiredPipeline` answers: every job
ends ``unavailable`` ("the image pipeline is not connected to cloaking yet") and no work can be
chosen, which is the truth.

What each method must do is written on it. ``store`` and ``clear`` are called by a task that
may run twice: both must be idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from impasto.protection.cloaking.base import CloakResult, CloakUnavailable

NOT_WIRED = "the image pipeline is not connected to cloaking yet"


@dataclass(frozen=True)
class Variant:
    """One display variant to cloak: its pixels before encoding, at one width."""

    name: str  # stable within the asset, e.g. "display-1080"; handed back to ``store``
    pixels: np.ndarray  # uint8, H x W x 3, sRGB (alpha, if any, is kept aside by the pipeline)


class CloakPipeline(Protocol):
    def work_assets(self, *, owner_id: int, work_id: int) -> list[int] | None:
        """The ids of the assets (images) of work ``work_id`` if ``owner_id`` owns it, else None.

        The views answer 404 on None, so this is the access check of every cloaking page.
        """

    def variants(self, *, asset_id: int) -> list[Variant]:
        """The display variants of the asset to cloak, uncloaked, at every width it is served.

        Raise :class:`CloakUnavailable` when the asset cannot be cloaked at all (animated, or
        already cloaked by the artist), :class:`~impasto.protection.cloaking.base.CloakError`
        when it is not ready yet; the job records the message.
        """

    def store(
        self, *, asset_id: int, job_id: int, cloaked: list[tuple[Variant, CloakResult]]
    ) -> None:
        """Serve these cloaked pixels in place of the asset's variants, every format of each width.

        Encode them with :func:`impasto.protection.cloaking.preserve.encoding_options`
        (``keep_pixels=True``) to keep all of the cloak; the usual lossy settings keep about
        half of its effect at a tenth of the bytes (docs/cloaking.md, "What encoding leaves").
        Write the new files first, then switch the asset to them, so a reader never sees half
        a set; storing the same job twice gives the same result.
        """

    def clear(self, *, asset_id: int) -> None:
        """Serve the uncloaked variants again (the artist chose "off"). Idempotent."""


class UnwiredPipeline:
    """What runs until the image pipeline provides its adapter: nothing, and it says so."""

    def work_assets(self, *, owner_id: int, work_id: int) -> list[int] | None:
        return None

    def variants(self, *, asset_id: int) -> list[Variant]:
        raise CloakUnavailable(NOT_WIRED)

    def store(
        self, *, asset_id: int, job_id: int, cloaked: list[tuple[Variant, CloakResult]]
    ) -> None:
        raise CloakUnavailable(NOT_WIRED)

    def clear(self, *, asset_id: int) -> None:
        raise CloakUnavailable(NOT_WIRED)
