"""The home timeline's page query, compiled once per shape and bound per reader.

On PostgreSQL the Following feed's page query is compiled for a reader made of slots and kept
(impasto.core.statements); each reader's ids are then bound to it. These tests hold the bound
statement equal to the one Django compiles for that reader, text and parameters, for readers
of every shape (with and without follows, blocks either way, mutes, filters, a cursor, a
Redis window), and the pages equal to those of the plain selector, on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.core.statements import Statement, arrays_bind, slot
from impasto.feeds.filters import FeedFilters
from impasto.feeds.selectors import feed_following, following_members
from impasto.social.selectors.posts import _page_ids_query, page_statement, posts_page
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create, mute_create
from impasto.social.services.posts import post_create, post_delete, repost_create
from impasto.social.visibility import Viewer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_statement_binds_ids_and_id_sets() -> None:
    one, many = slot(0), slot(1)
    statement = Statement("SELECT %s, %s, %s, %s", (one, [one, many], "public", 7))
    # an id set as PostgreSQL's array text, which the __anyof SQL casts to bigint[]
    assert statement.bind({one: 5, many: frozenset({9, 3})}) == [5, "{3,5,9}", "public", 7]


def test_a_set_given_to_a_single_id_slot_is_refused() -> None:
    one = slot(0)
    with pytest.raises(ValueError, match="single-value"):
        Statement("SELECT %s", (one,)).bind({one: frozenset({1})})


def test_an_array_mixing_slots_and_ids_is_refused_when_compiled() -> None:
    from impasto.social.models import Post

    qs = Post.objects.filter(author_id__anyof=[slot(0), 42])
    if connection.vendor == "postgresql":
        with pytest.raises(ValueError, match="mixes slots"):
            Statement.of(qs)
    else:  # SQLite has no arrays: one placeholder per id, which is why it never binds
        assert Statement.of(qs).params == (slot(0), 42)


@pytest.fixture
def world() -> dict[str, User]:
    """Readers of every shape around two authors who post, reply, repost and delete."""
    users = {name: UserFactory.create(handle=name) for name in ("ann", "ben", "cy", "dee", "eve")}
    ann, ben, cy, dee, eve = (users[n] for n in ("ann", "ben", "cy", "dee", "eve"))
    for follower, followee in [(ann, ben), (ann, cy), (dee, ben), (eve, ben), (eve, cy)]:
        follow_create(follower=follower, followee=followee)
    block_create(blocker=cy, blocked=dee)  # dee is blocked by cy
    block_create(blocker=eve, blocked=ann)  # eve blocks ann
    mute_create(muter=eve, muted=cy)
    for n in range(6):
        post = post_create(author=ben, body=f"ben {n} #ink")
        post_create(author=cy, body=f"cy answers {n}", reply_to_id=post.pk)
        post_create(author=cy, body=f"cy {n}", visibility="followers")
    repost_create(user=ben, post_id=post_create(author=cy, body="cy's best").pk)
    post_delete(user=cy, post_id=post_create(author=cy, body="gone").pk)
    return users


SHAPES = [
    ("ann", FeedFilters()),
    ("dee", FeedFilters()),
    ("eve", FeedFilters()),
    ("eve", FeedFilters(hide_reposts=True, muted_words=("ink",), mature="hide")),
    ("cy", FeedFilters(kind="posts")),  # follows nobody, blocks someone
]


def _members(filters: FeedFilters):  # the Following feed's rows, as feeds.selectors builds them
    from impasto.feeds.filters import filters_q

    return lambda reader: following_members(reader).filter(filters_q(filters))


@pytest.mark.parametrize(("handle", "filters"), SHAPES)
def test_the_page_is_the_plain_selectors_page(world, handle, filters) -> None:
    viewer = viewer_for(world[handle])
    plain = posts_page(viewer, _members(filters)(viewer), limit=4)
    page = feed_following(viewer, filters=filters, limit=4)
    assert [item.view.post.pk for item in page.items] == [v.post.pk for v in plain.items]
    assert page.next_cursor == plain.next_cursor
    while plain.next_cursor is not None:  # and so on, page after page
        plain = posts_page(viewer, _members(filters)(viewer), before=plain.next_cursor, limit=4)
        page = feed_following(viewer, filters=filters, before=page.next_cursor, limit=4)
        assert [item.view.post.pk for item in page.items] == [v.post.pk for v in plain.items]
    assert page.next_cursor is None


def _array_text(params: tuple[Any, ...]) -> list[Any]:
    """Django's parameters with each id list written as the array text a bound one is sent as."""
    return ["{" + ",".join(map(str, p)) + "}" if isinstance(p, list) else p for p in params]


@pytest.mark.parametrize(("handle", "filters"), SHAPES)
@pytest.mark.parametrize("cursor", [False, True])
@pytest.mark.parametrize("window", [False, True])
def test_the_bound_statement_is_the_one_django_compiles(
    world, handle, filters, cursor, window
) -> None:
    viewer = viewer_for(world[handle])
    before = 2**62 if cursor else None
    within = frozenset(world["ben"].posts.values_list("pk", flat=True)) if window else None
    members = _members(filters)
    fresh = Statement.of(_page_ids_query(viewer, members, 20, within=within, before=before))
    kept, values = page_statement(
        viewer, members, key=("test", filters), size=20, within=within, before=before
    )
    if connection.vendor == "postgresql":
        assert (kept.sql, kept.bind(values)) == (fresh.sql, _array_text(fresh.params))
    else:  # one placeholder per id on SQLite: the feed compiles each page there instead
        assert not arrays_bind(connection.alias)
    assert (
        page_statement(viewer, members, key=("test", filters), size=20)[0]
        is page_statement(viewer, members, key=("test", filters), size=20)[0]
    )


def test_readers_of_one_shape_share_a_statement_and_get_their_own_pages(world) -> None:
    members = _members(FeedFilters())
    ann, eve = viewer_for(world["ann"]), viewer_for(world["eve"])
    assert isinstance(ann, Viewer)
    # Same shape? Both follow people, and both have a block (either way); only eve mutes.
    dee = viewer_for(world["dee"])
    first, _ = page_statement(dee, members, key="shared", size=20)
    second, values = page_statement(ann, members, key="shared", size=20)
    assert first is second
    assert values[slot(1)] == ann.following_ids  # ann's own follows bound
    assert page_statement(eve, members, key="shared", size=20)[0] is not first


def _graph(post) -> dict[str, Any]:
    """What a card reads from a display row: its fields, related rows and annotations."""

    def fields(obj) -> dict[str, object] | None:
        if obj is None:
            return None
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}

    graph: dict[str, Any] = {"post": fields(post)}
    for path in ("author", "author.profile", "reply_to", "reply_to.author", "repost_of",
                 "repost_of.author", "repost_of.author.profile", "repost_of.reply_to",
                 "repost_of.reply_to.author"):  # fmt: skip
        obj = post
        for name in path.split("."):
            obj = getattr(obj, name, None) if obj is not None else None
        graph[path] = fields(obj)
    return graph


@pytest.mark.parametrize("handle", ["ann", "eve", None])
def test_kept_display_rows_are_the_querysets_rows(world, handle) -> None:
    from impasto.social.models import Post
    from impasto.social.selectors.posts import _display_rows, _for_display

    viewer = viewer_for(world[handle] if handle else None)
    ids = list(Post.objects.order_by("-id").values_list("pk", flat=True))
    repost = Post.objects.filter(repost_of__isnull=False).first()
    assert repost is not None
    assert repost.pk in ids  # a repost, a reply and plain posts
    expected = {p.pk: _graph(p) for p in _for_display(Post.objects.filter(pk__in=ids), viewer)}
    kept = {p.pk: _graph(p) for p in _display_rows(viewer, ids)}
    assert kept == expected
    assert len(kept) == len(ids)
    mine = {"liked", "bookmarked", "reposted"} if handle else set()  # a visitor has no flags
    assert {"allows_quotes", *mine} <= set(kept[repost.pk]["post"])


def test_placeholders_are_numbered_for_prepare_and_escaped_percents_kept() -> None:
    from impasto.core.statements import _numbered

    sql = "SELECT a FROM t WHERE b = %s AND c LIKE '%%x' AND d = ANY(%s::bigint[])"
    assert (
        _numbered(sql) == "SELECT a FROM t WHERE b = $1 AND c LIKE '%%x' AND d = ANY($2::bigint[])"
    )


def test_cards_are_a_prepared_statement_on_postgresql_and_cost_one_query_each_time(
    world, django_assert_num_queries
) -> None:
    from impasto.social.models import Post
    from impasto.social.selectors.posts import _display_rows

    viewer = viewer_for(world["ann"])
    ids = list(Post.objects.order_by("-id").values_list("pk", flat=True)[:5])
    for _ in range(3):  # the first use prepares it in the same round trip
        with django_assert_num_queries(1):
            rows = _display_rows(viewer, ids)
        assert sorted(row.pk for row in rows) == sorted(ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'impasto_%%'")
            assert cursor.fetchall()
    else:  # no arrays: compiled and sent each time
        assert not arrays_bind(connection.alias)


def test_kept_images_are_the_querysets_images(world) -> None:
    """On PostgreSQL a page's images come from kept statements, each asset's variants put in
    Django's prefetch cache: the same rows, assets and variants as the queryset's, and no
    query when a card reads them."""
    from django.db.models import Prefetch

    from impasto.imaging.models import MediaAsset, MediaVariant
    from impasto.social.models import Post, PostAttachment
    from impasto.social.selectors.posts import attachments_for_display
    from tests.feeds.conftest import attach

    posts = list(Post.objects.filter(author=world["ben"], repost_of__isnull=True)[:3])
    for n, post in enumerate(posts):
        for position in range(2):
            attachment = attach(
                post, alt_text=f"study {n}.{position}", asset_id=900 + 2 * n + position
            )
            for width, fmt in [(640, "webp"), (320, "jpeg"), (640, "jpeg")]:
                MediaVariant.objects.create(
                    asset_id=attachment.asset_id, format=fmt, width=width, height=width,
                    sha256=f"{attachment.asset_id}{width}{fmt}".ljust(64, "0"),
                    key=f"v/{attachment.asset_id}-{width}.{fmt}", bytes=1,
                )  # fmt: skip
    MediaAsset.objects.filter(pk=903).update(status=MediaAsset.Status.PROCESSING)  # hidden
    ids = [p.pk for p in posts]
    viewer = viewer_for(world["ann"])
    expected = [
        row
        for row in PostAttachment.objects.filter(post_id__in=ids)
        .select_related("asset")
        .prefetch_related(
            Prefetch("asset__variants", queryset=MediaVariant.objects.order_by("width"))
        )
        .order_by("post_id", "position")
        if row.asset.status == MediaAsset.Status.READY
    ]
    got = attachments_for_display(viewer, ids)

    def shape(rows) -> list[tuple[object, ...]]:
        return [
            (row.pk, row.post_id, row.position, row.alt_text, row.asset.pk, row.asset.status,
             sorted((v.width, v.format, v.key) for v in row.asset.variants.all()))
            for row in rows
        ]  # fmt: skip

    assert len(got) == 5  # six images, one still processing
    with CaptureQueriesContext(connection) as reads:
        assert shape(got) == shape(expected)
    assert len(reads) == 0
    assert [v.width for v in got[0].asset.variants.all()] == [320, 640, 640]  # by width


def test_the_readers_relations_are_one_prepared_statement(world, django_assert_num_queries) -> None:
    """viewer_for: follows, requests, blocks both ways and mutes in one query, prepared on
    PostgreSQL (index lookups by the reader's id, so its generic plan is as good as any)."""
    from impasto.social.models import Block, Follow, Mute

    for name in ("ann", "eve", "dee", "ann"):
        user = world[name]
        with django_assert_num_queries(1):
            viewer = viewer_for(user)
        follows = Follow.objects.filter(follower=user)
        assert viewer.following_ids == set(
            follows.filter(state="accepted").values_list("followee_id", flat=True)
        )
        assert viewer.requested_ids == set(
            follows.filter(state="pending").values_list("followee_id", flat=True)
        )
        assert viewer.blocking_ids == set(
            Block.objects.filter(blocker=user).values_list("blocked_id", flat=True)
        )
        assert viewer.blocked_by_ids == set(
            Block.objects.filter(blocked=user).values_list("blocker_id", flat=True)
        )
        assert viewer.muted_ids == set(
            Mute.objects.filter(muter=user).values_list("muted_id", flat=True)
        )
    assert any(viewer_for(world[n]).blocking_ids or viewer_for(world[n]).muted_ids for n in world)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%social_follow%social_block%social_mute%"],
            )
            assert cursor.fetchone()[0] == 1
