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

A check registers with the purposes it is a container for (``contains=``: art's projects hold
artwork, social's posts hold post images). An asset of such a purpose that no check claims,
uploaded but never attached or detached again, is its owner's only (and the reviewers'):
its variant URL is unguessable, but a leaked one must not show an unpublished work. Purposes
no app contains (avatars, banners) are public by nature and keep the plain rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.core import perceptual
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.imaging.pipeline.derive import DISPLAY_WIDTHS
from impasto.protection.cloaking.levels import CloakLevel
from impasto.protection.cloaking.models import CloakJob
from impasto.protection.cloaking.preserve import kept_notice
from impasto.protection.cloaking.selectors import cloak_jobs_by_asset

Viewer = User | AnonymousUser
AccessCheck = Callable[[MediaAsset, Viewer], bool | None]
_checks: list[AccessCheck] = []
# Purposes whose assets are shown only through a container some check answers for.
_contained: dict[AccessCheck, frozenset[str]] = {}
# Who may see any asset whatever its state (moderators reviewing a held or removed work).
Reviewer = Callable[[Viewer], bool]
_reviewers: list[Reviewer] = []


def register_access_check(check: AccessCheck, *, contains: Iterable[str] = ()) -> AccessCheck:
    """Add a check (usable as a decorator): True grants, False denies, None abstains.

    ``contains`` names the purposes this check is a container for: an asset of one of them
    that no check claims is visible to its owner only."""
    if check not in _checks:
        _checks.append(check)
    if contains:
        _contained[check] = frozenset(str(purpose) for purpose in contains)
    return check


def unregister_access_check(check: AccessCheck) -> None:
    if check in _checks:
        _checks.remove(check)
    _contained.pop(check, None)


def contained_purposes() -> frozenset[str]:
    """The purposes some registered check contains (unclaimed assets of these are private)."""
    return frozenset().union(*_contained.values())


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
    if True in answers:
        return True
    # Nobody claims it: public by nature, unless its purpose lives in a container (an artwork
    # in no project, a post image in no post, is not published yet).
    return asset.purpose not in contained_purposes()


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


@dataclass(frozen=True)
class CloakState:
    """One line about an image's cloak, for its owner's upload list."""

    status: str  # off, working, done, failed, unavailable, kept
    label: str
    detail: str = ""

    @property
    def working(self) -> bool:
        return self.status == "working"


def attach_cloak_states(assets: list[MediaAsset]) -> list[MediaAsset]:
    """Set ``asset.cloak_state`` on each asset (one query for all of them)."""
    jobs = cloak_jobs_by_asset(asset_ids=[asset.pk for asset in assets])
    for asset in assets:
        asset.cloak_state = cloak_state(asset, jobs.get(asset.pk))  # type: ignore[attr-defined]
    return assets


def cloak_state(asset: MediaAsset, job: CloakJob | None) -> CloakState:
    status = CloakJob.Status
    if asset.self_cloaked:
        if job is not None and job.status == status.KEPT:
            kept = (job.details or {}).get("kept_width")
            return CloakState("kept", _("Your own cloak, kept"),
                              kept_notice(kept=kept, largest=max(DISPLAY_WIDTHS)))  # fmt: skip
        return CloakState("working", _("Your own cloak will be kept"))
    if job is None:
        if asset.cloak_level != CloakLevel.OFF and asset.status == MediaAsset.Status.PROCESSING:
            return CloakState("working", _("Cloak waits for the display sizes"))
        return CloakState("off", _("No cloak"))
    level = CloakLevel(job.level).label
    if job.status in {status.QUEUED, status.RUNNING}:
        return CloakState("working", _("Cloaking (%(level)s)…") % {"level": level})
    if job.status == status.DONE:
        if job.level == CloakLevel.OFF:
            return CloakState("off", _("No cloak"))
        detail = (
            _("SSIM %(ssim).3f, PSNR %(psnr).1f dB") % {"ssim": job.ssim, "psnr": job.psnr}
            if job.ssim is not None and job.psnr is not None
            else ""
        )
        return CloakState("done", _("Cloaked (%(level)s)") % {"level": level}, detail)
    if job.status == status.KEPT:
        return CloakState("kept", _("Your own cloak, kept"))
    return CloakState(str(job.status), _("Not cloaked: shown as before"), job.error)


@dataclass(frozen=True)
class NearWork:
    """One of the artist's own images, near a suspected copy by perceptual hash."""

    asset: MediaAsset
    hash_kind: str  # "pdq" (256 bits) or "phash" (64 bits)
    distance: int
    bits: int
    match: bool  # within the threshold the pipeline uses for re-uploads

    @property
    def similarity(self) -> float:
        return 1 - self.distance / self.bits


def nearest_own_works(
    *, owner: User, phash: str, pdq: str | None, limit: int = 3
) -> list[NearWork]:
    """The owner's images nearest to these hashes (PDQ where both have one, else pHash).

    Only the owner's own images are compared: the page never tells one artist about another's
    work. Two queries (hashes, then the chosen assets with their variants)."""
    rows = (
        MediaAsset.objects.filter(owner=owner, status=MediaAsset.Status.READY)
        .exclude(phash="")
        .values_list("pk", "phash", "pdq")
    )
    scored: list[tuple[int, int, str, int, bool]] = []
    for pk, their_phash, their_pdq in rows:
        if pdq and their_pdq:
            distance = perceptual.hamming(pdq, their_pdq)
            scored.append((distance * 64 // 256, pk, "pdq", distance,
                           distance <= perceptual.PDQ_MATCH))  # fmt: skip
        elif len(their_phash) == len(phash):
            distance = perceptual.hamming(phash, their_phash)
            scored.append((distance, pk, "phash", distance, distance <= perceptual.PHASH_MATCH))
    scored.sort()
    best = scored[:limit]
    assets = {
        asset.pk: asset
        for asset in MediaAsset.objects.filter(pk__in=[row[1] for row in best])
        .select_related("owner")
        .prefetch_related(Prefetch("variants", queryset=MediaVariant.objects.order_by("width")))
    }
    return [
        NearWork(assets[pk], kind, distance, 256 if kind == "pdq" else 64, match)
        for _score, pk, kind, distance, match in best
        if pk in assets
    ]
