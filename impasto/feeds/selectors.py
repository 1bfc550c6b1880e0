"""Reading feeds: which posts each feed holds, filtered for the reader, a page at a time.

Every feed narrows ``Post`` to its members and hands the queryset to the social selectors'
:func:`~impasto.social.selectors.posts.posts_page`, which applies visibility, blocks and mutes
and loads what a card shows in a constant number of queries. So a post that is deleted, not
visible to the reader, or by someone blocked (either way) or muted never reaches a feed, and a
page costs the same for 5 items as for 50. Pages are keyset (``id < before``), never OFFSET.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from django.db.models import F, OuterRef, Q, QuerySet

from impasto.accounts.models import User
from impasto.core.expressions import KeyExists
from impasto.core.statements import ModelStatement, StatementCache, slot
from impasto.feeds import timelines
from impasto.feeds.filters import FeedFilters, filters_q, in_fields_q
from impasto.feeds.models import FeedPreferences, FollowedTag
from impasto.social.models import Post, Tag
from impasto.social.pagination import Page, clamp_limit
from impasto.social.selectors.posts import (
    PostView,
    listed_q,
    not_muted_q,
    post_visible_q,
    posts_page,
    posts_page_of,
)
from impasto.social.visibility import Viewer

NEW_COUNT_CAP = 20  # the indicator says "20+" past this
WINDOW_PAGES = 3  # a Redis page is read from this many pages' worth of the newest ids


@dataclass
class FeedItem:
    """A post in a feed, and why it is there (For You says it; chronological feeds do not)."""

    view: PostView
    reason: str = ""


def feed_preferences_of(user: User | None) -> FeedPreferences | None:
    """The reader's stored preferences, or None for the defaults (and for visitors)."""
    if user is None or not user.is_authenticated:
        return None
    db = FeedPreferences.objects.db
    kept = _PREFERENCES.get(
        db,
        lambda: ModelStatement.of(
            FeedPreferences.objects.filter(user_id=_READER).order_by("pk")[:1]
        ),
    )
    # Read on every feed page: compiled once per process (a primary-key lookup, prepared).
    found = kept.instances({_READER: user.pk}, db, prepare=True)
    return found[0] if found else None


_READER = slot(0)
_PREFERENCES: StatementCache[ModelStatement] = StatementCache(maxsize=4)  # one per database


def feed_filters_of(user: User | None) -> FeedFilters:
    return FeedFilters.from_preferences(feed_preferences_of(user))


def network_ids(viewer: Viewer) -> frozenset[int]:
    """The people whose posts make the reader's Following feed: those they follow, and them."""
    if viewer.id is None:
        return frozenset()
    return viewer.following_ids | {viewer.id}


def following_members(viewer: Viewer, *, by_author_index: bool = True) -> QuerySet[Post]:
    """The Following feed's rows before visibility: posts and reposts by the reader's network.

    A reply is in only when it answers someone of that network too (as on Mastodon): a
    conversation with strangers stays on the post's page.

    ``by_author_index=False`` states the same membership as ``author_id + 0``, which no index
    matches: for a page narrowed to a few dozen ids from Redis, PostgreSQL otherwise combined
    the primary key with the author index, reading the network's ~20,000 index entries to
    keep 21 rows (docs/scaling.md).
    """
    network = network_ids(viewer)
    if by_author_index:
        qs = Post.objects.filter(author_id__anyof=network)
    else:
        qs = Post.objects.alias(author_key=F("author_id") + 0).filter(author_key__anyof=network)
    return qs.filter(
        Q(reply_to__isnull=True)
        | KeyExists(
            Post.objects.filter(pk=OuterRef("reply_to_id"), author_id__anyof_opaque=network)
        )
    )


def latest_members() -> QuerySet[Post]:
    """The Latest stream's rows: top-level public posts, each once (no reposts, no replies)."""
    return Post.objects.filter(repost_of__isnull=True, thread_root_id=F("id"))


def _items(page: Page[PostView]) -> Page[FeedItem]:
    return Page([FeedItem(view) for view in page.items], page.next_cursor)


def feed_following(
    viewer: Viewer,
    *,
    filters: FeedFilters | None = None,
    before: int | None = None,
    limit: int | None = None,
) -> Page[FeedItem]:
    """Everything from the people the reader follows (and their own), newest first."""
    if viewer.id is None:
        return Page()
    filters = filters or FeedFilters()
    cached = _home_from_cache(viewer, filters, before=before, limit=limit)
    if cached is not None:
        return _items(cached)
    return _items(_following_page(viewer, filters, before=before, limit=limit))


def _following_page(
    viewer: Viewer,
    filters: FeedFilters,
    *,
    before: int | None,
    limit: int | None,
    within: Collection[int] | None = None,
) -> Page[PostView]:
    def members(reader: Viewer) -> QuerySet[Post]:
        by_author_index = within is None
        return following_members(reader, by_author_index=by_author_index).filter(filters_q(filters))

    return posts_page_of(
        viewer, members, key=("following", filters), before=before, limit=limit, within=within
    )


def member_has_posted(user: User) -> bool:
    """Whether the member has written a post (or repost) that is not deleted: one query."""
    return Post.objects.filter(author_id=user.pk, deleted_at__isnull=True).exists()


def _home_from_cache(
    viewer: Viewer, filters: FeedFilters, *, before: int | None, limit: int | None
) -> Page[PostView] | None:
    """The page from the reader's Redis list (docs/scaling.md), or None to read with SQL.

    The ids only narrow the Following feed's own query (membership, filters, visibility,
    blocks and mutes): a stale list hides what it should, never shows more. When
    the list cannot fill the page (it was trimmed, or filters thinned it), SQL answers.
    """
    if not timelines.enabled() or viewer.id is None:
        return None
    ids = timelines.home_ids(viewer.id)
    if ids is None:
        ids = list(
            following_members(viewer).order_by("-id").values_list("pk", flat=True)[: timelines.CAP]
        )
        timelines.home_store(viewer.id, ids)
    whole_history = len(set(ids)) < timelines.CAP  # nothing was trimmed away yet
    newest = sorted({i for i in ids if before is None or i < before}, reverse=True)
    if not newest:
        return Page() if whole_history else None
    # The page from the newest ids below the cursor, a few pages' worth: enough when nothing
    # is filtered out, and a short array keeps PostgreSQL on the primary key.
    window = newest[: WINDOW_PAGES * (clamp_limit(limit) + 1)]
    page = _following_page(viewer, filters, before=before, limit=limit, within=window)
    if page.next_cursor is not None or (whole_history and len(window) == len(newest)):
        return page
    return None  # thinned by filters or stale, or the list ends: SQL reads the page


def feed_latest(
    viewer: Viewer,
    *,
    filters: FeedFilters | None = None,
    before: int | None = None,
    limit: int | None = None,
) -> Page[FeedItem]:
    """The public stream: every listed post on the site, newest first."""
    qs = latest_members().filter(filters_q(filters or FeedFilters()))
    return _items(posts_page(viewer, qs, before=before, limit=limit, listed_only=True))


def feed_discover(
    viewer: Viewer,
    *,
    field: str | None = None,
    filters: FeedFilters | None = None,
    before: int | None = None,
    limit: int | None = None,
) -> Page[FeedItem]:
    """Discover: the public stream of one field (or of all), newest first.

    The field in the address replaces the reader's own "fields to include"; their other
    filters apply as on every feed.
    """
    filters = filters or FeedFilters()
    qs = latest_members()
    if field:
        filters = replace(filters, fields=())
        qs = qs.filter(in_fields_q((field,)))
    qs = qs.filter(filters_q(filters))
    return _items(posts_page(viewer, qs, before=before, limit=limit, listed_only=True))


def followed_tags_of(user: User | None) -> list[Tag]:
    """The tags the reader follows, by name."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Tag.objects.filter(
            pk__in=FollowedTag.objects.filter(user_id=user.pk).values("tag_id")
        ).order_by("name")
    )


FEEDS = ("following", "latest")


def feed_new_count(
    viewer: Viewer, *, feed: str, after: int, filters: FeedFilters | None = None
) -> int:
    """How many posts arrived in ``feed`` after the id ``after`` (capped): one small query.

    The same membership, visibility and filters as the feed, so the indicator never promises
    a post the reader will not see.
    """
    filters = filters or FeedFilters()
    if feed == "following":
        if viewer.id is None:
            return 0
        qs = following_members(viewer)
    elif feed == "latest":
        qs = latest_members().filter(listed_q())
    else:
        raise ValueError(feed)
    qs = qs.filter(post_visible_q(viewer), not_muted_q(viewer), filters_q(filters))
    # A capped sub-select: the count stops at NEW_COUNT_CAP + 1 rows, however many arrived.
    return Post.objects.filter(
        pk__in=qs.filter(id__gt=after).order_by("id").values("pk")[: NEW_COUNT_CAP + 1]
    ).count()
