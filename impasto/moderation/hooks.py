"""What moderation plugs into the image pipeline (registered in ModerationConfig.ready)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset
from impasto.imaging.uses import AssetUse
from impasto.moderation import selectors, services
from impasto.moderation.models import Appeal, Case


def screen_upload(asset: MediaAsset, path: Path) -> bool:
    """AI detection on the untouched original: True holds the upload."""
    return services.asset_screen(asset, path)


def is_reviewer(viewer: Any) -> bool:
    """Moderators see every upload, held and removed ones included."""
    return selectors.is_moderator(viewer)


def appeal_file_access(asset: MediaAsset, viewer: Any) -> bool | None:
    """An appeal's process files are private to the artist (the owner rule) and moderators."""
    return False if selectors.is_appeal_file(asset_id=asset.pk) else None


def standing_url(user: User) -> str | None:
    """A suspended or banned person who proves their password is sent to their standing page
    (other closed accounts get allauth's generic page)."""
    return reverse("moderation:standing") if selectors.has_live_sanction(user=user) else None


def appeal_file_uses(asset: MediaAsset) -> list[AssetUse]:
    """An appeal's process file is evidence the moderators read: not deleted while it is one."""
    appeals = Appeal.objects.filter(files=asset).values_list("case_id", flat=True)
    return [
        AssetUse(
            label=gettext("Your appeal of a moderation decision"),
            url=reverse("moderation:yours", args=[case_id]),
        )
        for case_id in appeals
    ]


def open_case_uses(asset: MediaAsset) -> list[AssetUse]:
    """An upload the moderators are deciding about (held by detection, or reported) is their
    evidence until they decide: not deleted meanwhile, nor purged."""
    cases = Case.objects.filter(
        target_type="asset", target_id=asset.pk, status=Case.Status.OPEN
    ).values_list("pk", flat=True)
    return [
        AssetUse(
            label=gettext("A review by the moderators"),
            url=reverse("moderation:yours", args=[case_id]),
        )
        for case_id in cases
    ]
