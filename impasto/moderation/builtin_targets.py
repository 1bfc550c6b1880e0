"""The targets moderation knows from the start: uploads, posts and profiles.

- ``asset`` (an imaging upload): hidden by moving it to ``held`` (imaging's access hook shows
  only ``ready`` assets to others), restored by moving it back to ``ready``.
- ``post``: hidden by setting ``deleted_at`` *without* erasing the text (every post selector
  already hides deleted posts; the author's own delete erases the text, a removal does not), so
  a restore only clears ``deleted_at``.
- ``profile`` (an account): hidden by deactivating the account, restored by reactivating it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from impasto.accounts.models import User
from impasto.core.states import transition
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.imaging.selectors import asset_visible_to
from impasto.moderation import targets
from impasto.social.models import Post, PostAttachment
from impasto.social.selectors.posts import post_visible_q
from impasto.social.selectors.relations import viewer_for


def _assets(ids: list[int]) -> list[MediaAsset]:
    found = {
        a.pk: a
        for a in MediaAsset.objects.filter(pk__in=ids)
        .select_related("owner")
        .prefetch_related(Prefetch("variants", queryset=MediaVariant.objects.order_by("width")))
    }
    return [found[i] for i in ids if i in found]


# --- asset ------------------------------------------------------------------------------------


def _asset_load(pk: int) -> MediaAsset | None:
    found = _assets([pk])
    return found[0] if found else None


def _asset_hide(asset: MediaAsset) -> None:
    if asset.status == MediaAsset.Status.READY:
        transition(asset, to=MediaAsset.Status.HELD, allowed=MediaAsset.TRANSITIONS)


def _asset_restore(asset: MediaAsset) -> None:
    if asset.status == MediaAsset.Status.HELD:
        transition(asset, to=MediaAsset.Status.READY, allowed=MediaAsset.TRANSITIONS)


def _asset_title(asset: MediaAsset) -> str:
    return asset.alt_text[:80] or gettext("Upload %(id)s") % {"id": asset.pk}


ASSET = targets.TargetType(
    name="asset",
    label=_("work"),
    load=_asset_load,
    owner_id=lambda asset: asset.owner_id,
    title=_asset_title,
    url=lambda asset: None,
    images=lambda asset: [asset],
    hide=_asset_hide,
    restore=_asset_restore,
    is_hidden=lambda asset: asset.status != MediaAsset.Status.READY,
    visible_to=lambda asset, user: asset_visible_to(asset=asset, viewer=user),
)


# --- post -------------------------------------------------------------------------------------


def _post_load(pk: int) -> Post | None:
    return Post.objects.select_related("author").filter(pk=pk).first()


def _post_images(post: Post) -> list[MediaAsset]:
    ids = list(
        PostAttachment.objects.filter(post=post)
        .order_by("position")
        .values_list("asset_id", flat=True)
    )
    return _assets(ids)


def _post_hide(post: Post) -> None:
    Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())


def _post_restore(post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(deleted_at=None)


def _post_url(post: Post) -> str:
    return reverse("social:post-detail", args=[post.author.handle, post.pk])


POST = targets.TargetType(
    name="post",
    label=_("post"),
    load=_post_load,
    owner_id=lambda post: post.author_id,
    title=lambda post: post.body[:80] or gettext("Post %(id)s") % {"id": post.pk},
    url=_post_url,
    images=_post_images,
    hide=_post_hide,
    restore=_post_restore,
    is_hidden=lambda post: post.deleted_at is not None,
    text=lambda post: post.body,
    visible_to=lambda post, user: Post.objects.filter(
        post_visible_q(viewer_for(user)), pk=post.pk
    ).exists(),
)


# --- profile ----------------------------------------------------------------------------------


def _profile_hide(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)


def _profile_restore(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=True)


def _profile_text(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return f"{user.name}\n{getattr(profile, 'bio', '')}".strip()


PROFILE = targets.TargetType(
    name="profile",
    label=_("profile"),
    load=lambda pk: User.objects.filter(pk=pk).first(),
    owner_id=lambda user: user.pk,
    title=lambda user: f"@{user.handle}",
    url=lambda user: reverse("accounts:profile", args=[user.handle]),
    images=lambda user: [],
    hide=_profile_hide,
    restore=_profile_restore,
    is_hidden=lambda user: not user.is_active,
    text=_profile_text,
    visible_to=lambda person, user: person.is_public,
)


def register_builtin() -> None:
    for target in (ASSET, POST, PROFILE):
        targets.register(target)
