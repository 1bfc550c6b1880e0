"""The imaging app's part in erasing an account: every upload of the person, files included."""

from __future__ import annotations

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset
from impasto.imaging.services import assets_delete


def user_data_erase(*, user: User) -> None:
    """Delete the person's uploads and, once the erasure commits, their originals and variants.

    Runs inside the erasure's transaction (``accounts.services.account_erase``; hooks run newest
    app first: art's before this one, social's after). What still uses an image (a post's
    attachment, a project's image) goes with it through the database cascade. Safe to run
    twice: the second time there is nothing left to delete.
    """
    assets_delete(asset_ids=MediaAsset.objects.filter(owner=user).values_list("pk", flat=True))
