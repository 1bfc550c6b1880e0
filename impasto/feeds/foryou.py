"""For You: a ranked feed from a bounded candidate set, each item with the reason it is shown.

How it works (docs/feeds.md, "For You"): five small queries, each capped at
``SOURCE_LIMIT`` rows and limited to the last ``WINDOW_DAYS`` days by a snowflake id bound
(so they run on primary-key and foreign-key indexes, whatever the size of the site), gather
candidate posts and why each one is a candidate:

==================  ========  ======  ===========================================
source              side      weight  reason shown
==================  ========  ======  ===========================================
followed tags       network   1.0     Because you follow #watercolor
followed people     network   1.0     From @mira, whom you follow
liked by them       network   0.6     Liked by @mira
reposted by them    network   0.8     Reposted by @mira
your fields         site      0.7     In Illustration, one of your fields
appreciated         site      0.5     Appreciated across Impasto this week
==================  ========  ======  ===========================================

A post's score is the sum of its sources' weights, each multiplied by the reader's mix (the
slider: network sources by ``(100 - mix) / 100``, site sources by ``mix / 100``), plus a
dampened appreciation term ``0.15 * log(1 + likes + 2 * reposts)``, all multiplied by a time
decay ``1 / (1 + age_hours / 24) ** 1.5``. Replies and quote counts are not used (they reward
argument, not art): no engagement bait. One query then keeps only the candidates the reader
may see (visibility, blocks, mutes, their filters), and the page is hydrated like any feed.

Pages are keyset on ``(score, id)`` with the scoring instant frozen in the cursor
(``"<at_ms>:<score>:<id>"``), so the next page is computed against the same clock; a like that
arrives in between can move a post across the page boundary (shown twice or skipped), which is
acceptable for a ranked feed and the reason the chronological feeds are the default.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from impasto.core.ids import snowflake_floor, snowflake_time_ms
from impasto.core.vocab import Discipline
from impasto.feeds.filters import FeedFilters, filters_q
from impasto.feeds.models import FollowedTag
from impasto.feeds.selectors import FeedItem
from impasto.social.models import Post, PostLike, PostTag
from impasto.social.pagination import clamp_limit
from impasto.social.selectors.posts import listed_q, not_muted_q, post_visible_q, posts_hydrate
from impasto.social.visibility import Viewer

WINDOW_DAYS = 14
SOURCE_LIMIT = 200
RECENT_LIKES = 2000  # the site-wide appreciation source reads the newest likes only
DECAY_HOURS = 24.0
DECAY_POWER = 1.5
APPRECIATION = 0.15

NETWORK, SITE = "network", "site"
WEIGHTS = {
    "tag": (NETWORK, 1.0),
    "person": (NETWORK, 1.0),
    "liked": (NETWORK, 0.6),
    "reposted": (NETWORK, 0.8),
    "field": (SITE, 0.7),
    "appreciated": (SITE, 0.5),
}
CURSOR_RE = re.compile(r"^(\d{1,15}):(\d{1,19}):(\d{1,19})$")
CURSOR_PATTERN = CURSOR_RE.pattern


@dataclass
class Candidate:
    post_id: int
    sources: dict[str, str] = field(default_factory=dict)  # source -> detail (tag, handle...)

    def reason(self) -> str:
        # The strongest source explains the post.
        best = max(self.sources, key=lambda s: WEIGHTS[s][1])
        detail = self.sources[best]
        if best == "tag":
            return _("Because you follow #%(tag)s") % {"tag": detail}
        if best == "person":
            return _("From @%(handle)s, whom you follow") % {"handle": detail}
        if best == "liked":
            return _("Liked by @%(handle)s, whom you follow") % {"handle": detail}
        if best == "reposted":
            return _("Reposted by @%(handle)s, whom you follow") % {"handle": detail}
        if best == "field":
            label = Discipline(detail).label if detail in Discipline.values else detail
            return _("In %(field)s, one of your fields") % {"field": label}
        return _("Appreciated across Impasto this week")


@dataclass(frozen=True)
class ForYouPage:
    items: list[FeedItem]
    next_cursor: str | None = None


def parse_cursor(raw: str | None) -> tuple[int, int, int] | None:
    """``(at_ms, score, id)`` from a cursor, or None; ``ValueError`` when malformed."""
    if not raw:
        return None
    match = CURSOR_RE.fullmatch(raw)
    if match is None:
        raise ValueError(raw)
    at_ms, score, post_id = (int(g) for g in match.groups())
    return at_ms, score, post_id


def _score(cand: Candidate, *, likes: int, reposts: int, mix: int, at_ms: int) -> float:
    side = {NETWORK: (100 - mix) / 100, SITE: mix / 100}
    base = sum(WEIGHTS[s][1] * side[WEIGHTS[s][0]] for s in cand.sources)
    if base <= 0:
        return 0.0
    base += APPRECIATION * math.log1p(likes + 2 * reposts)
    age_hours = max(0.0, (at_ms - snowflake_time_ms(cand.post_id)) / 3_600_000)
    return base / (1 + age_hours / DECAY_HOURS) ** DECAY_POWER


def feed_for_you(
    viewer: Viewer,
    *,
    filters: FeedFilters | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> ForYouPage:
    """The reader's For You page; ``cursor`` is the previous page's ``next_cursor``."""
    filters = filters or FeedFilters()
    size = clamp_limit(limit)
    parsed = parse_cursor(cursor)
    at_ms = parsed[0] if parsed else int(time.time() * 1000)
    floor = snowflake_floor(at_ms - WINDOW_DAYS * 86_400_000)
    ceiling = snowflake_floor(at_ms + 1)
    recent = Post.objects.filter(
        id__gte=floor, id__lt=ceiling, repost_of__isnull=True, thread_root_id=F("id")
    )
    listed = recent.filter(listed_q())
    candidates: dict[int, Candidate] = {}

    def add(post_id: int, source: str, detail: str) -> None:
        candidates.setdefault(post_id, Candidate(post_id)).sources.setdefault(source, detail)

    following = sorted(viewer.following_ids)
    if viewer.id is not None:
        tag_ids = list(FollowedTag.objects.filter(user_id=viewer.id).values_list("tag", flat=True))
        if tag_ids:
            rows = (
                PostTag.objects.filter(tag_id__in=tag_ids, post__in=listed.values("pk"))
                .order_by("-post_id")
                .values_list("post_id", "tag__display_name")[:SOURCE_LIMIT]
            )
            for post_id, name in rows:
                add(post_id, "tag", name)
    if following:
        for post_id, handle in (
            recent.filter(author_id__in=following)
            .order_by("-id")
            .values_list("id", "author__handle")[:SOURCE_LIMIT]
        ):
            add(post_id, "person", handle)
        for post_id, handle in (
            PostLike.objects.filter(
                user_id__in=following, id__gte=floor, post__in=listed.values("pk")
            )
            .order_by("-id")
            .values_list("post_id", "user__handle")[:SOURCE_LIMIT]
        ):
            add(post_id, "liked", handle)
        for post_id, handle in (
            Post.objects.filter(
                author_id__in=following, id__gte=floor, repost_of__in=listed.values("pk")
            )
            .order_by("-id")
            .values_list("repost_of_id", "author__handle")[:SOURCE_LIMIT]
        ):
            add(post_id, "reposted", handle)
    if filters.fields:
        for post_id, discipline in (
            listed.filter(author__profile__disciplines__discipline__in=list(filters.fields))
            .order_by("-id")
            .values_list("id", "author__profile__disciplines__discipline")[:SOURCE_LIMIT]
        ):
            add(post_id, "field", discipline)
    liked_recently = Counter(
        PostLike.objects.filter(id__gte=floor, post__in=listed.values("pk"))
        .order_by("-id")
        .values_list("post_id", flat=True)[:RECENT_LIKES]
    )
    for post_id, _count in liked_recently.most_common(SOURCE_LIMIT):
        add(post_id, "appreciated", "")

    if not candidates:
        return ForYouPage([])
    # The gate: only what the reader may see and wants, with what the score needs.
    gate = Post.objects.filter(pk__in=list(candidates)).filter(
        post_visible_q(viewer), not_muted_q(viewer), filters_q(filters)
    )
    if viewer.id is not None:
        gate = gate.exclude(author_id=viewer.id)
    scored: list[tuple[int, int]] = []
    for post_id, likes, reposts in gate.values_list("id", "likes_count", "reposts_count"):
        score = _score(
            candidates[post_id], likes=likes, reposts=reposts, mix=filters.network_mix, at_ms=at_ms
        )
        if score > 0:
            scored.append((int(score * 1e9), post_id))
    scored.sort(reverse=True)
    if parsed:
        scored = [pair for pair in scored if pair < (parsed[1], parsed[2])]
    page = scored[: size + 1]
    chosen = page[:size]
    views = posts_hydrate(viewer, [post_id for _, post_id in chosen])
    by_id = {view.post.pk: view for view in views}
    items = [
        FeedItem(by_id[post_id], candidates[post_id].reason())
        for _, post_id in chosen
        if post_id in by_id
    ]
    next_cursor = None
    if len(page) > size and chosen:
        score, post_id = chosen[-1]
        next_cursor = f"{at_ms}:{score}:{post_id}"
    return ForYouPage(items, next_cursor)
