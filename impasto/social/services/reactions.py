"""Likes and bookmarks: unique per person and thing, counted exactly under concurrency.

:func:`reaction_add` and :func:`reaction_remove` work on any reaction table built on
:class:`impasto.social.models.posts.Reaction` (``PostLike`` now, ``ProjectLike`` with art):
the unique insert or the delete's row count decides whether the counter moves, in the same
transaction, so a double click or two racing requests never count twice.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import F

from impasto.accounts.models import User
from impasto.social import tasks
from impasto.social.models import Post, PostBookmark, PostLike
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.selectors.posts import post_get_for_viewer
from impasto.social.selectors.relations import viewer_for
from impasto.social.services._common import enqueue_on_commit
from impasto.social.services.notifications import notification_delete

R = TypeVar("R", bound=models.Model)


def reaction_add(
    model: type[R],
    *,
    user: User,
    target: str,
    target_id: int,
    counter: tuple[type[models.Model], str] | None = None,
) -> tuple[R, bool]:
    """Create ``model(user=user, <target>_id=target_id)`` once; bump ``counter`` if new.

    ``counter`` is the (model, field) that counts these rows on the target, e.g.
    ``(Post, "likes_count")``. Runs inside the caller's transaction. Returns the row and
    whether it was created now.
    """
    lookup: dict[str, Any] = {"user": user, f"{target}_id": target_id}
    try:
        with transaction.atomic():
            row = model._default_manager.create(**lookup)
    except IntegrityError:
        return model._default_manager.get(**lookup), False
    if counter is not None:
        counted, field = counter
        counted._default_manager.filter(pk=target_id).update(**{field: F(field) + 1})
    return row, True


def reaction_remove(
    model: type[models.Model],
    *,
    user: User,
    target: str,
    target_id: int,
    counter: tuple[type[models.Model], str] | None = None,
) -> bool:
    """Delete the reaction; the delete's row count decides whether ``counter`` drops."""
    deleted, _ = model._default_manager.filter(user=user, **{f"{target}_id": target_id}).delete()
    if not deleted:
        return False
    if counter is not None:
        counted, field = counter
        counted._default_manager.filter(pk=target_id).update(**{field: F(field) - 1})
    return True


def _target(user: User, post_id: int) -> Post:
    post = post_get_for_viewer(viewer_for(user), post_id)
    return post if post.repost_of_id is None else Post.objects.get(pk=post.repost_of_id)


@transaction.atomic
def post_like(*, user: User, post_id: int) -> PostLike:
    """Like a post (liking a repost likes its original). ``Http404`` if not visible."""
    post = _target(user, post_id)
    like, created = reaction_add(
        PostLike, user=user, target="post", target_id=post.pk, counter=(Post, "likes_count")
    )
    if created:
        enqueue_on_commit(tasks.like_notify_task, like.pk)
    return like


@transaction.atomic
def post_unlike(*, user: User, post_id: int) -> bool:
    """Take one's like back (allowed even if the post is no longer visible)."""
    post = Post.objects.filter(pk=post_id).values_list("pk", "repost_of_id", "author_id").first()
    if post is None:
        return False
    target_id = post[1] or post[0]
    removed = reaction_remove(
        PostLike, user=user, target="post", target_id=target_id, counter=(Post, "likes_count")
    )
    if removed:
        author_id = Post.objects.filter(pk=target_id).values_list("author_id", flat=True).first()
        if author_id is not None:
            notification_delete(
                recipient_id=author_id,
                actor_id=user.pk,
                kind=Kind.LIKE,
                target_type="post",
                target_id=target_id,
            )
    return removed


@transaction.atomic
def post_bookmark(*, user: User, post_id: int) -> PostBookmark:
    """Bookmark a post, privately (nobody is told, no public count)."""
    post = _target(user, post_id)
    bookmark, _created = reaction_add(PostBookmark, user=user, target="post", target_id=post.pk)
    return bookmark


@transaction.atomic
def post_unbookmark(*, user: User, post_id: int) -> bool:
    row = Post.objects.filter(pk=post_id).values_list("pk", "repost_of_id").first()
    if row is None:
        return False
    return reaction_remove(PostBookmark, user=user, target="post", target_id=row[1] or row[0])
