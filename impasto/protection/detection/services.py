"""Writes to the perceptual-hash blocklist. The moderation flow calls these when it removes a
work as AI or as stolen, and when an appeal reinstates it."""

from __future__ import annotations

from django.db import transaction

from impasto.core import perceptual
from impasto.protection.detection.models import BlockedImageHash


@transaction.atomic
def blocked_hash_add(
    *,
    hashes: perceptual.PerceptualHashes,
    reason: BlockedImageHash.Reason | str,
    case_ref: str = "",
    asset_ref: str = "",
    note: str = "",
) -> BlockedImageHash:
    """Block pictures that look like this one. Adding the same removal twice keeps one row."""
    blocked, _created = BlockedImageHash.objects.get_or_create(
        phash=hashes.phash,
        pdq=hashes.pdq or "",
        reason=BlockedImageHash.Reason(reason),
        asset_ref=asset_ref,
        defaults={"pdq_quality": hashes.pdq_quality, "case_ref": case_ref, "note": note[:500]},
    )
    return blocked


@transaction.atomic
def blocked_hash_remove(*, asset_ref: str) -> int:
    """Unblock a reinstated work (an appeal upheld). Returns how many rows went."""
    if not asset_ref:
        raise ValueError("asset_ref is required: an empty one would unblock every manual entry")
    deleted, _by_model = BlockedImageHash.objects.filter(asset_ref=asset_ref).delete()
    return deleted
