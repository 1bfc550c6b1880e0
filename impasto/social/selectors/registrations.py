"""Social's own notification targets and link-preview providers (registered at start-up)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator

from impasto.accounts.models import User
from impasto.social import previews, targets
from impasto.social.models import Post
from impasto.social.selectors.posts import posts_visible_to
from impasto.social.visibility import Viewer

POST_DETAIL_VIEW = "social:post-detail"  # kwarg post_id: int
PROFILE_VIEW = "accounts:profile"  # kwarg handle: str


def _visible_post_ids(viewer: Viewer) -> QuerySet[Any, Any]:
    return posts_visible_to(viewer).values("pk")


def _load_posts(viewer: Viewer, ids: list[int]) -> Mapping[int, Post]:
    # With the author's profile: the notifications page and the API show the avatar.
    qs = posts_visible_to(viewer).filter(pk__in=ids).select_related("author__profile")
    return {post.pk: post for post in qs}


def _post_previews(
    viewer: Viewer, kwargs_list: Sequence[Mapping[str, Any]]
) -> list[previews.LinkPreview | None]:
    ids: list[int] = []
    for kwargs in kwargs_list:
        try:
            ids.append(int(kwargs.get("post_id", 0)))
        except (TypeError, ValueError):
            ids.append(0)
    # Built from the rows alone: a post shown as a preview does not show its own preview.
    found = {
        post.pk: post
        for post in posts_visible_to(viewer)
        .filter(pk__in=[i for i in ids if i], repost_of__isnull=True)
        .select_related("author")
    }
    result: list[previews.LinkPreview | None] = []
    for pid in ids:
        post = found.get(pid)
        result.append(
            previews.LinkPreview(
                kind="post",
                title=post.author.name,
                description=_post_description(post),
                object=post,
            )
            if post
            else None
        )
    return result


def _post_description(post: Post) -> str:
    """The words of a post as plain text (no markdown marks); a post behind a content warning is
    described by its warning, so the preview does not show what the author chose to hide."""
    if post.content_warning:
        return Truncator(post.content_warning).chars(200)
    text = html.unescape(strip_tags(post.body_html))
    return Truncator(" ".join(text.split())).chars(200)


def _profile_previews(
    viewer: Viewer, kwargs_list: Sequence[Mapping[str, Any]]
) -> list[previews.LinkPreview | None]:
    handles = [str(kwargs.get("handle", "")).lower() for kwargs in kwargs_list]
    users = {
        u.handle: u
        for u in User.objects.public()
        .filter(handle__in=handles)
        .exclude(pk__in=viewer.hidden_ids)
        .select_related("profile")
    }
    result: list[previews.LinkPreview | None] = []
    for handle in handles:
        user = users.get(handle)
        result.append(
            previews.LinkPreview(
                kind="profile",
                title=user.name,
                description=Truncator(user.profile.bio).chars(200),
                object=user,
            )
            if user
            else None
        )
    return result


def register_builtin() -> None:
    targets.register(targets.TargetType("post", _visible_post_ids, _load_posts))
    previews.register(POST_DETAIL_VIEW, _post_previews)
    previews.register(PROFILE_VIEW, _profile_previews)
