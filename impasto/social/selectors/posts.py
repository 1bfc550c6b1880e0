"""Reading posts: the only way post content reaches a page, the API, a feed or a notification.

Everything starts from :func:`post_visible_q`, the rule of docs/social.md ("Visibility") as one
``Q``. Lists then go through :func:`_hydrate`, which turns rows into :class:`PostView` objects
(what to show, the reader's own likes and bookmarks, the quoted post or a placeholder, images,
link preview) in a constant number of queries, whatever the page size.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from impasto.accounts.models import User
from impasto.core.expressions import KeyExists
from impasto.core.statements import (
    ModelStatement,
    SlotValue,
    Statement,
    StatementCache,
    arrays_bind,
    slot,
)
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.social.models import (
    Post,
    PostAttachment,
    PostBookmark,
    PostLike,
    PostRevision,
    SocialSettings,
    Tag,
)
from impasto.social.pagination import Page, clamp_limit, page_from
from impasto.social.previews import LinkPreview, previews_for
from impasto.social.readerfilters import reader_filter_q
from impasto.social.text import normalize_tag
from impasto.social.visibility import OPEN_VISIBILITIES, Viewer, Visibility, audience_q

THREAD_LIMIT = 500


def post_visible_q(viewer: Viewer) -> Q:
    """Posts ``viewer`` may read (by URL too): see the table in docs/social.md.

    Not deleted; author public and not blocked either way; visibility admits the reader; a
    reply whose parent or thread root the reader may not see is hidden too (a *deleted* parent
    or root only shows as "deleted"); a repost disappears with its original.

    The parent, root and original are each tested by a correlated ``EXISTS`` on their primary
    key (``KeyExists``: planned as an index probe only), not by joins: PostgreSQL plans each
    sub-query on its own (two relations), where the joins made one query of a dozen relations
    whose planning cost more than its execution (docs/scaling.md). A row counts as hidden only
    when it exists: a root erased with its account leaves its thread readable, as a parent set
    to NULL does.
    """
    parent_ok = Q(reply_to__isnull=True) | ~_hides(viewer, "reply_to_id")
    root_ok = Q(thread_root_id=F("id")) | ~_hides(viewer, "thread_root_id")
    original_ok = Q(repost_of__isnull=True) | Q(
        KeyExists(
            Post.objects.filter(
                audience_q(viewer, probe=True), pk=OuterRef("repost_of_id"), deleted_at__isnull=True
            )
        )
    )
    return Q(deleted_at__isnull=True) & audience_q(viewer) & parent_ok & root_ok & original_ok


def _hides(viewer: Viewer, field: str) -> Q:
    """The post named by ``field`` exists, is not deleted, and ``viewer`` may not read it."""
    return Q(
        KeyExists(
            Post.objects.filter(pk=OuterRef(field), deleted_at__isnull=True).exclude(
                audience_q(viewer, probe=True)
            )
        )
    )


def posts_visible_to(viewer: Viewer) -> QuerySet[Post]:
    return Post.objects.filter(post_visible_q(viewer))


def listed_q() -> Q:
    """Posts that may appear on discovery surfaces (tag pages, search, public feeds)."""
    return Q(visibility=Visibility.PUBLIC) & (
        Q(repost_of__isnull=True)
        | Q(
            KeyExists(
                Post.objects.filter(pk=OuterRef("repost_of_id"), visibility=Visibility.PUBLIC)
            )
        )
    )


def not_muted_q(viewer: Viewer) -> Q:
    if not viewer.muted_ids:
        return Q()
    return ~Q(author_id__anyof=viewer.muted_ids) & ~Q(
        Exists(Post.objects.filter(pk=OuterRef("repost_of_id"), author_id__anyof=viewer.muted_ids))
    )


def post_get_for_viewer(viewer: Viewer, post_id: int) -> Post:
    """The post (a plain row, author loaded) if ``viewer`` may read it, else ``Http404``."""
    post = posts_visible_to(viewer).select_related("author").filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post.")
    return post


# --- display ------------------------------------------------------------------------------


@dataclass
class PostView:
    """One post as a page shows it to one reader.

    ``post`` is the row in the list; for a repost, ``subject`` is the original that is shown
    ("reposted by ``post.author``") and the reader's flags and counters are the original's.
    """

    post: Post
    subject: Post
    liked: bool = False
    bookmarked: bool = False
    reposted: bool = False
    quote: Post | None = None  # the quoted post, when the reader may see it
    quote_unavailable: bool = False  # a quote of something the reader may not see
    attachments: list[PostAttachment] = field(default_factory=list)
    quote_attachments: list[PostAttachment] = field(default_factory=list)
    preview: LinkPreview | None = None
    depth: int = 0  # in a thread: replies below the focused post
    # The subject's author lets others quote it (their setting), or the reader is that author.
    quote_allowed: bool = True

    @property
    def row(self) -> str:
        """The card's id as text, for the dozen ``id``s and fields of a card: a number would
        go through number localisation each time it is printed."""
        return str(self.post.pk)

    @property
    def reposted_by(self) -> User | None:
        return self.post.author if self.post.repost_of_id else None

    @property
    def is_deleted(self) -> bool:
        """A tombstone kept in a thread so replies stay in place; it has no content."""
        return self.subject.deleted_at is not None

    @property
    def parent_deleted(self) -> bool:
        parent = self.subject.reply_to
        return self.subject.is_reply and (parent is None or parent.deleted_at is not None)

    @property
    def can_repost(self) -> bool:
        """Only public and unlisted posts travel to someone else's audience."""
        return not self.is_deleted and self.subject.visibility in OPEN_VISIBILITIES

    @property
    def can_quote(self) -> bool:
        """What ``post_create(quote_of_id=...)`` accepts: repostable, and the author agrees."""
        return self.can_repost and self.quote_allowed


def _for_display(qs: QuerySet[Post], viewer: Viewer) -> QuerySet[Post]:
    qs = (
        qs.select_related(
            "author__profile",
            "reply_to__author",
            "repost_of__author__profile",
            "repost_of__reply_to__author",
        )
        .annotate(
            subject_pk=Coalesce("repost_of_id", "id"),
            quoted_pk=Case(
                When(repost_of__isnull=False, then=F("repost_of__quote_of_id")),
                default=F("quote_of_id"),
            ),
            subject_author_pk=Coalesce("repost_of__author_id", "author_id"),
        )
        .annotate(
            # In the same query: whether the subject's author allows quotes (no row: the default).
            allows_quotes=Coalesce(
                Subquery(
                    SocialSettings.objects.filter(user_id=OuterRef("subject_author_pk")).values(
                        "allow_quotes"
                    )[:1]
                ),
                Value(True),
                output_field=BooleanField(),
            ),
        )
    )
    if viewer.id is not None:
        mine = {"user_id": viewer.id, "post_id": OuterRef("subject_pk")}
        qs = qs.annotate(
            liked=Exists(PostLike.objects.filter(**mine)),
            bookmarked=Exists(PostBookmark.objects.filter(**mine)),
            reposted=Exists(
                Post.objects.filter(author_id=viewer.id, repost_of_id=OuterRef("subject_pk"))
            ),
        )
    return qs


def _hydrate(viewer: Viewer, rows: Sequence[Post]) -> list[PostView]:
    """Rows fetched through :func:`_for_display` to views: three queries plus previews."""
    views = [
        PostView(
            post=row,
            subject=row.repost_of if row.repost_of_id and row.repost_of else row,
            liked=bool(getattr(row, "liked", False)),
            bookmarked=bool(getattr(row, "bookmarked", False)),
            reposted=bool(getattr(row, "reposted", False)),
            quote_allowed=bool(getattr(row, "allows_quotes", True))
            or (viewer.id is not None and getattr(row, "subject_author_pk", None) == viewer.id),
        )
        for row in rows
    ]
    quote_ids = {getattr(v.post, "quoted_pk", None) for v in views} - {None}
    quotes: dict[int, Post] = {}
    if quote_ids:
        quotes = {
            q.pk: q
            for q in posts_visible_to(viewer)
            .filter(pk__in=quote_ids)
            .select_related("author__profile")
        }
    shown_ids = {v.subject.pk for v in views if not v.is_deleted} | set(quotes)
    images: dict[int, list[PostAttachment]] = defaultdict(list)
    if shown_ids:
        for attachment in attachments_for_display(viewer, shown_ids):
            images[attachment.post_id].append(attachment)
    previews = previews_for(viewer, [v.subject.link_path for v in views if not v.is_deleted])
    for view in views:
        quoted_pk = getattr(view.post, "quoted_pk", None)
        if quoted_pk is not None:
            view.quote = quotes.get(quoted_pk)
            view.quote_unavailable = view.quote is None
            if view.quote is not None:
                view.quote_attachments = images.get(quoted_pk, [])
        if not view.is_deleted:
            view.attachments = images.get(view.subject.pk, [])
            view.preview = previews.get(view.subject.link_path)
    return views


def attachments_for_display(viewer: Viewer, post_ids: Iterable[int]) -> list[PostAttachment]:
    """The images of these posts in order, with their assets and variants: two queries.

    Others see an image once it is ready (its variants all stored); the author also sees it
    while it is processing, or held, as a placeholder.
    """
    ids = list(post_ids)
    db = router.db_for_read(PostAttachment)
    rows: Iterable[PostAttachment]
    if not ids:
        rows = []
    elif arrays_bind(db):
        rows = _kept_attachments(ids, db)
    else:
        rows = (
            PostAttachment.objects.filter(post_id__in=ids)
            .select_related("asset")
            .prefetch_related(
                Prefetch("asset__variants", queryset=MediaVariant.objects.order_by("width"))
            )
            .order_by("post_id", "position")
        )
    return [
        row
        for row in rows
        if row.asset.status == MediaAsset.Status.READY or row.asset.owner_id == viewer.id
    ]


_POSTS, _ASSETS = slot(0), slot(1)
_IMAGES: StatementCache[ModelStatement] = StatementCache(maxsize=2)


def _kept_attachments(post_ids: list[int], db: str) -> list[PostAttachment]:
    """The same two queries from kept, prepared statements (foreign-key lookups by id), each
    asset's variants put where ``asset.variants.all()`` finds them, as ``prefetch_related``
    does (Django's prefetch cache; a test holds the result equal to the queryset's)."""
    attachments = _IMAGES.get(
        "attachments",
        lambda: ModelStatement.of(
            PostAttachment.objects.filter(post_id__anyof=[_POSTS])
            .select_related("asset")
            .order_by("post_id", "position")
        ),
    )
    variants = _IMAGES.get(
        "variants",
        lambda: ModelStatement.of(
            MediaVariant.objects.filter(asset_id__anyof=[_ASSETS]).order_by("width", "id")
        ),
    )
    rows: list[PostAttachment] = attachments.instances(
        {_POSTS: frozenset(post_ids)}, db, prepare=True
    )
    if not rows:
        return rows
    by_asset: dict[int, list[MediaVariant]] = defaultdict(list)
    for variant in variants.instances(
        {_ASSETS: frozenset(row.asset_id for row in rows)}, db, prepare=True
    ):
        by_asset[variant.asset_id].append(variant)
    for row in rows:
        cached = row.asset.variants.all()  # a queryset, not run: filled as prefetch fills it
        cached._result_cache = by_asset.get(row.asset_id, [])
        cached._prefetch_done = True  # type: ignore[attr-defined]
        row.asset._prefetched_objects_cache = {"variants": cached}  # type: ignore[attr-defined]
    return rows


def _page(
    viewer: Viewer, qs: QuerySet[Post], *, before: int | None, limit: int | None
) -> Page[PostView]:
    size = clamp_limit(limit)
    if before is not None:
        qs = qs.filter(id__lt=before)
    ids = list(qs.order_by("-id").values_list("pk", flat=True)[: size + 1])
    return _page_of_ids(viewer, ids, size)


def _page_of_ids(viewer: Viewer, ids: list[int], size: int) -> Page[PostView]:
    """The page's cards from its ids (newest first; one more than ``size`` when there is more).

    Two queries make a page: which posts (visibility, membership, filters), then what their
    cards show. One query doing both joined a dozen relations, and PostgreSQL spent longer
    planning it than running it (docs/scaling.md).
    """
    items, cursor = page_from(ids, limit=size, key=lambda pk: pk)
    rows = {row.pk: row for row in _display_rows(viewer, items)}
    return Page(_hydrate(viewer, [rows[pk] for pk in items if pk in rows]), cursor)


def _display_rows(viewer: Viewer, ids: list[int]) -> list[Post]:
    """:func:`_for_display` of these posts; on PostgreSQL from a kept statement."""
    if not ids:
        return []
    db = router.db_for_read(Post)
    if not arrays_bind(db):
        return list(_for_display(Post.objects.filter(pk__in=ids), viewer))
    template = viewer if viewer.id is None else Viewer(user=_slot_user())
    values: dict[int | str, SlotValue] = {_SHOWN: frozenset(ids)}
    if viewer.id is not None:
        values[_ID] = viewer.id
    kept = _DISPLAY.get(
        viewer.id is None,
        lambda: ModelStatement.of(_for_display(Post.objects.filter(pk__anyof=[_SHOWN]), template)),
    )
    # Prepared: the cards are fetched by primary key, so a generic plan is always a good one.
    return kept.instances(values, db, prepare=True)


# Slots (impasto.core.statements) for the reader's values in a compiled page query.
_ID, _FOLLOWING, _REQUESTED, _BLOCKING, _BLOCKED_BY, _MUTED, _WITHIN, _BEFORE, _SHOWN = (
    slot(n) for n in range(9)
)
_STATEMENTS: StatementCache[Statement] = StatementCache(maxsize=512)


@functools.cache
def _slot_user() -> User:
    """The reader of the kept statements: a user whose id is the slot ``_ID``. One instance
    per process (``User(...)`` runs ``Model.__init__`` over every field: 5% of a page); the
    statements only read its id."""
    return User(pk=_ID)


_DISPLAY: StatementCache[ModelStatement] = StatementCache(maxsize=2)  # readers, visitors


def slotted(viewer: Viewer) -> tuple[tuple[bool, ...], Viewer, dict[int | str, SlotValue]]:
    """The reader's shape (which id sets are empty), a reader made of slots with that shape,
    and the values of those slots."""
    sets: dict[int, frozenset[int]] = {
        _FOLLOWING: viewer.following_ids,
        _REQUESTED: viewer.requested_ids,
        _BLOCKING: viewer.blocking_ids,
        _BLOCKED_BY: viewer.blocked_by_ids,
        _MUTED: viewer.muted_ids,
    }
    slots = {n: frozenset({n}) if ids else frozenset() for n, ids in sets.items()}
    template = Viewer(
        user=_slot_user(),
        following_ids=slots[_FOLLOWING],
        requested_ids=slots[_REQUESTED],
        blocking_ids=slots[_BLOCKING],
        blocked_by_ids=slots[_BLOCKED_BY],
        muted_ids=slots[_MUTED],
    )
    if viewer.id is None:
        raise ValueError("an anonymous reader has no slots")
    values: dict[int | str, SlotValue] = {_ID: viewer.id}
    for n, ids in sets.items():
        values[n] = ids
    return tuple(bool(ids) for ids in sets.values()), template, values


def _page_ids_query(
    reader: Viewer,
    members: Callable[[Viewer], QuerySet[Post]],
    size: int,
    *,
    within: Collection[int] | None,
    before: int | None,
) -> QuerySet[Any]:
    """The ids of one page of ``members(reader)`` that ``reader`` may see, newest first."""
    qs = members(reader).filter(post_visible_q(reader), not_muted_q(reader))
    if within is not None:
        qs = qs.filter(pk__anyof=within)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return qs.order_by("-id").values_list("pk")[: size + 1]


def page_statement(
    viewer: Viewer,
    members: Callable[[Viewer], QuerySet[Post]],
    *,
    key: Hashable,
    size: int,
    within: Collection[int] | None = None,
    before: int | None = None,
) -> tuple[Statement, dict[int | str, SlotValue]]:
    """The kept statement of this page's shape (compiled on first use), and its values."""
    shape, template, values = slotted(viewer)
    if within is not None:
        values[_WITHIN] = frozenset(within)
    if before is not None:
        values[_BEFORE] = before
    statement = _STATEMENTS.get(
        (key, shape, size, within is not None, before is not None),
        lambda: Statement.of(
            _page_ids_query(
                template,
                members,
                size,
                within=None if within is None else [_WITHIN],
                before=None if before is None else _BEFORE,
            )
        ),
    )
    return statement, values


def posts_page_of(
    viewer: Viewer,
    members: Callable[[Viewer], QuerySet[Post]],
    *,
    key: Hashable,
    before: int | None = None,
    limit: int | None = None,
    within: Collection[int] | None = None,
) -> Page[PostView]:
    """:func:`posts_page` of ``members(viewer)``, with the page query compiled once per shape.

    ``members`` builds the feed's rows for any reader; ``key`` names it and everything else
    that shapes its SQL (the reader's filters). On PostgreSQL the query is built for a reader
    made of slots, compiled, kept, and each reader's ids are bound to it (the rule is the very
    same ``Q``; a test holds bound and freshly compiled statements equal). ``within`` narrows
    to these ids (a Redis timeline's).
    """
    size = clamp_limit(limit)
    if within is not None and not within:
        return Page()
    db = router.db_for_read(Post)
    if viewer.id is None or not arrays_bind(db):
        query = _page_ids_query(viewer, members, size, within=within, before=before)
        return _page_of_ids(viewer, [pk for (pk,) in query], size)
    statement, values = page_statement(
        viewer, members, key=key, size=size, within=within, before=before
    )
    # Narrowed to a few dozen ids (``within``), every plan starts from the primary key, so the
    # statement is prepared (a generic plan is safe). Without it the plan depends on the
    # reader's network, and a generic one walked the whole table (docs/scaling.md).
    rows = statement.values_list(values, db, prepare=within is not None)
    return _page_of_ids(viewer, [pk for (pk,) in rows], size)


def posts_page(
    viewer: Viewer,
    queryset: QuerySet[Post] | None = None,
    *,
    before: int | None = None,
    limit: int | None = None,
    listed_only: bool = False,
    hide_muted: bool = True,
) -> Page[PostView]:
    """A page of the posts in ``queryset`` that ``viewer`` may see, newest first.

    The building block for feeds: pass any narrowing queryset (by authors, by ids from Redis,
    by tag); visibility, blocks and mutes are applied here, so a feed cannot forget them.
    ``listed_only`` keeps what may show on discovery surfaces (public, not unlisted).
    """
    qs = (queryset if queryset is not None else Post.objects.all()).filter(post_visible_q(viewer))
    if listed_only:
        qs = qs.filter(listed_q())
    if hide_muted:
        qs = qs.filter(not_muted_q(viewer))
    return _page(viewer, qs, before=before, limit=limit)


def posts_hydrate(viewer: Viewer, ids: Sequence[int], *, hide_muted: bool = True) -> list[PostView]:
    """The posts with these ids that ``viewer`` may see, in the given order (for Redis feeds)."""
    qs = Post.objects.filter(pk__in=list(ids)).filter(post_visible_q(viewer))
    if hide_muted:
        qs = qs.filter(not_muted_q(viewer))
    rows = {row.pk: row for row in _for_display(qs, viewer)}
    return _hydrate(viewer, [rows[i] for i in ids if i in rows])


def post_view_for_viewer(viewer: Viewer, post_id: int) -> PostView:
    """One post for its own page (muted authors included: reached by URL), else ``Http404``."""
    views = posts_hydrate(viewer, [post_id], hide_muted=False)
    if not views:
        raise Http404("No such post.")
    return views[0]


def author_visible_or_404(viewer: Viewer, author: User) -> None:
    if not author.is_public or author.pk in viewer.hidden_ids:
        raise Http404("No such person.")


def posts_by_author(
    viewer: Viewer,
    author: User,
    *,
    before: int | None = None,
    limit: int | None = None,
    with_replies: bool = False,
) -> Page[PostView]:
    """A profile's Posts tab: the author's posts and reposts (replies on the second tab).

    The reader went to this person's page, so a mute does not hide it (it hides them in lists
    and feeds); a block answers 404.
    """
    author_visible_or_404(viewer, author)
    qs = Post.objects.filter(author=author)
    if not with_replies:
        qs = qs.filter(thread_root_id=F("id"))
    return posts_page(viewer, qs, before=before, limit=limit, hide_muted=False)


def tag_by_name(name: str) -> Tag | None:
    """The tag behind a tag page (its name as first written, for the heading)."""
    return Tag.objects.filter(name=normalize_tag(name)).first()


def posts_by_tag(
    viewer: Viewer, tag_name: str, *, before: int | None = None, limit: int | None = None
) -> Page[PostView]:
    """A tag page: listed posts carrying the tag (``#Café`` and ``#cafe`` are one tag)."""
    tag = tag_by_name(tag_name)
    if tag is None:
        return Page()
    return posts_with_tag(viewer, tag, before=before, limit=limit)


def posts_with_tag(
    viewer: Viewer, tag: Tag, *, before: int | None = None, limit: int | None = None
) -> Page[PostView]:
    """:func:`posts_by_tag` for a tag already read (the tag page shows its name too)."""
    # A join, not ``pk IN (tagged ids)``: the (tag, post) pair is unique, so the join adds no
    # duplicates, and PostgreSQL can walk the tag's index backwards and fetch 21 posts. Under
    # ``IN`` it walked the posts' primary key backwards instead, testing every post against
    # the tag (17,500 rows read for a tag on one post in 500: 275 ms on a million posts).
    # The reader's own filters (registered by the feeds app), as on their feeds.
    qs = Post.objects.filter(post_tags__tag=tag).filter(reader_filter_q(viewer))
    return posts_page(viewer, qs, before=before, limit=limit, listed_only=True)


@dataclass
class Thread:
    focus: PostView
    ancestors: list[PostView]  # from the root down to the focused post's parent
    replies: list[PostView]  # below the focused post, depth first, ``depth`` set


def post_thread(viewer: Viewer, post_id: int, *, limit: int = THREAD_LIMIT) -> Thread:
    """A post with its ancestors and the replies below it, each one visible to ``viewer``.

    One query reads the whole thread (``thread_root, id`` index). A reply under a post the
    reader may not see is not shown; a deleted post stays as a tombstone only where replies
    hang below it. Muted people's replies (and what hangs below them) are left out.
    """
    focus = post_get_for_viewer(viewer, post_id)
    if focus.repost_of_id:
        raise Http404("A repost has no thread of its own.")
    root_id = focus.thread_root_id or focus.pk
    qs = Post.objects.filter(thread_root_id=root_id, repost_of__isnull=True).filter(
        post_visible_q(viewer) | Q(deleted_at__isnull=False)
    )
    rows = list(_for_display(qs, viewer).order_by("id")[:limit])
    by_id = {row.pk: row for row in rows}
    if focus.pk not in by_id:
        by_id[focus.pk] = focus  # a focus beyond the limit is still shown
        rows.append(focus)
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.reply_to_id is not None and row.pk != root_id:
            children[row.reply_to_id].append(row.pk)

    ancestors: list[int] = []
    parent_id = by_id[focus.pk].reply_to_id
    while parent_id is not None and parent_id in by_id and parent_id not in ancestors:
        ancestors.append(parent_id)
        parent_id = by_id[parent_id].reply_to_id
    ancestors.reverse()

    def shown(pid: int) -> bool:
        row = by_id[pid]
        return row.author_id not in viewer.muted_ids or row.author_id == viewer.id

    below: list[tuple[int, int]] = []

    def walk(pid: int, depth: int) -> bool:
        """Collect the subtree of ``pid``; a tombstone is kept only above a shown reply."""
        start = len(below)
        below.append((pid, depth))
        kept_child = False
        for child in children.get(pid, []):
            if shown(child):
                kept_child = walk(child, depth + 1) or kept_child
        if by_id[pid].deleted_at is not None and not kept_child:
            del below[start:]
            return False
        return True

    for child in children.get(focus.pk, []):
        if shown(child):
            walk(child, 1)

    ordered = [by_id[i] for i in ancestors] + [by_id[focus.pk]] + [by_id[i] for i, _ in below]
    views = _hydrate(viewer, ordered)
    depths = [0] * (len(ancestors) + 1) + [d for _, d in below]
    for view, depth in zip(views, depths, strict=True):
        view.depth = depth
    n = len(ancestors)
    return Thread(focus=views[n], ancestors=views[:n], replies=views[n + 1 :])


def post_revisions(viewer: Viewer, post_id: int) -> list[PostRevision]:
    """The earlier versions of a post's text, oldest first (behind its "edited" mark)."""
    post = post_get_for_viewer(viewer, post_id)
    return list(PostRevision.objects.filter(post=post).order_by("id"))


def posts_liked_by(
    viewer: Viewer, user: User, *, before: int | None = None, limit: int | None = None
) -> Page[PostView]:
    """A profile's Likes tab, most recently liked first; the cursor is a like id."""
    author_visible_or_404(viewer, user)
    size = clamp_limit(limit)
    likes = PostLike.objects.filter(user=user).filter(
        post__in=posts_visible_to(viewer).filter(not_muted_q(viewer)).values("pk")
    )
    if before is not None:
        likes = likes.filter(id__lt=before)
    pairs = list(likes.order_by("-id").values_list("id", "post_id")[: size + 1])
    items, cursor = page_from(pairs, limit=size, key=lambda pair: pair[0])
    return Page(posts_hydrate(viewer, [post_id for _, post_id in items]), cursor)


def bookmarks_page(
    viewer: Viewer, *, before: int | None = None, limit: int | None = None
) -> Page[PostView]:
    """The reader's own bookmarks, most recent first; the cursor is a bookmark id."""
    if viewer.id is None:
        return Page()
    size = clamp_limit(limit)
    marks = PostBookmark.objects.filter(user_id=viewer.id).filter(
        post__in=posts_visible_to(viewer).values("pk")
    )
    if before is not None:
        marks = marks.filter(id__lt=before)
    pairs = list(marks.order_by("-id").values_list("id", "post_id")[: size + 1])
    items, cursor = page_from(pairs, limit=size, key=lambda pair: pair[0])
    return Page(posts_hydrate(viewer, [post_id for _, post_id in items], hide_muted=False), cursor)


def post_likers(
    viewer: Viewer, post_id: int, *, before: int | None = None, limit: int | None = None
) -> Page[User]:
    """Who liked a post (people the reader may see), most recent first; cursor: a like id."""
    post = post_get_for_viewer(viewer, post_id)
    size = clamp_limit(limit)
    likes = PostLike.objects.filter(
        post_id=post.repost_of_id or post.pk, user__in=User.objects.public()
    ).exclude(user_id__in=viewer.quiet_ids)
    if before is not None:
        likes = likes.filter(id__lt=before)
    rows = list(likes.select_related("user__profile").order_by("-id")[: size + 1])
    items, cursor = page_from(rows, limit=size, key=lambda like: like.pk)
    return Page([like.user for like in items], cursor)


def post_reposters(
    viewer: Viewer, post_id: int, *, before: int | None = None, limit: int | None = None
) -> Page[User]:
    """Who reposted a post, as :func:`post_likers` (most recent first; cursor: a repost id)."""
    post = post_get_for_viewer(viewer, post_id)
    size = clamp_limit(limit)
    reposts = Post.objects.filter(
        repost_of_id=post.repost_of_id or post.pk, author__in=User.objects.public()
    ).exclude(author_id__in=viewer.quiet_ids)
    if before is not None:
        reposts = reposts.filter(id__lt=before)
    rows = list(reposts.select_related("author__profile").order_by("-id")[: size + 1])
    items, cursor = page_from(rows, limit=size, key=lambda repost: repost.pk)
    return Page([repost.author for repost in items], cursor)


def attachment_asset_ids_visible_to(viewer: Viewer, asset_ids: Iterable[int]) -> set[int]:
    """Which of these images ``viewer`` may load through any post (for image variant URLs)."""
    return set(
        PostAttachment.objects.filter(
            asset_id__in=list(asset_ids), post__in=posts_visible_to(viewer).values("pk")
        ).values_list("asset_id", flat=True)
    )
