"""What art plugs into other apps at start-up: the image access check (a project's images are
visible exactly when the project is) and, later, link previews and notification targets."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from impasto.accounts.models import User
from impasto.art.selectors import project_asset_visible
from impasto.imaging.models import MediaAsset
from impasto.imaging.selectors import register_access_check


def project_image_access(asset: MediaAsset, user: User | AnonymousUser) -> bool | None:
    """The imaging hook: None for an asset in no project, else whether its project is visible.

    Only artwork can be a project image, so other purposes answer at once without a query.
    """
    if asset.purpose != "artwork":
        return None
    return project_asset_visible(asset.pk, user)


def register() -> None:
    register_access_check(project_image_access)
