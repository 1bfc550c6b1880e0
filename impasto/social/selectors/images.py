"""What social plugs into ``impasto.imaging`` for post images: who may load their variant URLs
(the access hook) and which posts show one (the uses hook, before its owner deletes it)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.uses import AssetUse
from impasto.social.models import PostAttachment
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


def post_image_uses(asset: MediaAsset) -> list[AssetUse]:
    """The posts that show ``asset``: a post's images are not edited, so the post is deleted
    whole (its images then go a day later, with their files). A post a moderator removed keeps
    its images (it can be restored, and an appeal shows them): it counts too. Any purpose: an
    attachment is an attachment."""
    attached = (
        PostAttachment.objects.filter(asset_id=asset.pk)
        .select_related("post__author")
        .order_by("post_id")
    )
    uses = []
    for attachment in attached:
        post = attachment.post
        date = date_format(timezone.localtime(post.created_at), "DATE_FORMAT")
        label = (
            gettext("Your post of %(date)s, removed by the moderators")
            if post.deleted_at is not None
            else gettext("Your post of %(date)s")
        )
        url = reverse(
            "social:post-detail", kwargs={"handle": post.author.handle, "post_id": post.pk}
        )
        uses.append(AssetUse(label=label % {"date": date}, url=url))
    return uses
