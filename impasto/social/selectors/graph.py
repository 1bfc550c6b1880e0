"""Followers, following, follow requests and the profile counters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from impasto.accounts.models import User
from impasto.social.models import Block, Follow, Mute, UserCounters
from impasto.social.pagination import Page, clamp_limit, page_from
from impasto.social.selectors.posts import author_visible_or_404
from impasto.social.selectors.relations import Relationship, relationships
from impasto.social.visibility import Viewer


@dataclass
class PersonItem:
    """A person in a list, with the reader's relationship to them (for the follow button)."""

    user: User
    relationship: Relationship
    follow_id: int  # the cursor


def _people(
    viewer: Viewer, follows: QuerySet[Follow], side: str, *, before: int | None, limit: int | None
) -> Page[PersonItem]:
    size = clamp_limit(limit)
    follows = follows.filter(
        **{f"{side}__is_active": True, f"{side}__deletion_scheduled_at__isnull": True}
    ).exclude(**{f"{side}_id__in": viewer.hidden_ids})
    if before is not None:
        follows = follows.filter(id__lt=before)
    rows = list(follows.select_related(f"{side}__profile").order_by("-id")[: size + 1])
    items, cursor = page_from(rows, limit=size, key=lambda f: f.pk)
    people = [getattr(f, side) for f in items]
    rel = relationships(viewer, [p.pk for p in people])
    return Page(
        [PersonItem(p, rel[p.pk], f.pk) for p, f in zip(people, items, strict=True)], cursor
    )


def followers_page(
    viewer: Viewer, user: User, *, before: int | None = None, limit: int | None = None
) -> Page[PersonItem]:
    """``user``'s accepted followers, most recent first (``Http404`` if ``user`` is hidden)."""
    author_visible_or_404(viewer, user)
    qs = Follow.objects.filter(followee=user, state=Follow.State.ACCEPTED)
    return _people(viewer, qs, "follower", before=before, limit=limit)


def following_page(
    viewer: Viewer, user: User, *, before: int | None = None, limit: int | None = None
) -> Page[PersonItem]:
    author_visible_or_404(viewer, user)
    qs = Follow.objects.filter(follower=user, state=Follow.State.ACCEPTED)
    return _people(viewer, qs, "followee", before=before, limit=limit)


def follow_requests_page(
    viewer: Viewer, *, before: int | None = None, limit: int | None = None
) -> Page[PersonItem]:
    """Requests waiting for the reader's approval (locked accounts)."""
    if viewer.id is None:
        return Page()
    qs = Follow.objects.filter(followee_id=viewer.id, state=Follow.State.PENDING)
    return _people(viewer, qs, "follower", before=before, limit=limit)


def blocked_page(
    viewer: Viewer, *, before: int | None = None, limit: int | None = None
) -> Page[User]:
    """The people the reader blocks, most recent first (for undoing it in the settings)."""
    if viewer.id is None:
        return Page()
    qs = Block.objects.filter(blocker_id=viewer.id, blocked__in=User.objects.public())
    return _marks(qs, "blocked", before=before, limit=limit)


def muted_page(
    viewer: Viewer, *, before: int | None = None, limit: int | None = None
) -> Page[User]:
    """The people the reader mutes, most recent first."""
    if viewer.id is None:
        return Page()
    qs = Mute.objects.filter(muter_id=viewer.id, muted__in=User.objects.public())
    return _marks(qs, "muted", before=before, limit=limit)


def _marks(
    qs: QuerySet[Block] | QuerySet[Mute], side: str, *, before: int | None, limit: int | None
) -> Page[User]:
    size = clamp_limit(limit)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.select_related(f"{side}__profile").order_by("-id")[: size + 1])
    items, cursor = page_from(rows, limit=size, key=lambda row: row.pk)
    return Page([getattr(row, side) for row in items], cursor)


@dataclass(frozen=True)
class Counts:
    followers: int = 0
    following: int = 0
    posts: int = 0


def counts_of(user: User) -> Counts:
    row = UserCounters.objects.filter(user=user).first()
    if row is None:
        return Counts()
    return Counts(row.followers_count, row.following_count, row.posts_count)
