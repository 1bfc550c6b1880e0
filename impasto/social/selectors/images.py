"""The rule for post images' variant URLs, plugged into ``impasto.imaging``'s access hook."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, Purpose
from impasto.social.selectors.posts import attachment_asset_ids_visible_to
from impasto.social.selectors.relations import viewer_for


def post_image_access(asset: MediaAsset, user: User | AnonymousUser) -> bool | None:
    """A post image is visible exactly when one of the posts it is attached to is.

    ``None`` for other purposes (not ours to judge). An image uploaded for a post but not
    (or no longer) attached to a visible one, e.g. its post was deleted, is ``False``: only its
    owner sees it (the imaging hook lets owners through before asking any check).
    """
    if asset.purpose != Purpose.POST:
        return None
    return asset.pk in attachment_asset_ids_visible_to(viewer_for(user), [asset.pk])
