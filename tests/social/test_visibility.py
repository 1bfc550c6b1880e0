"""The visibility matrix: every reader role against every kind of post, on every selector.

Roles: anonymous, the owner, a follower, a pending follower, a stranger, someone the author
blocked, someone who blocked the author, and a follower who muted the author. Each selector
must agree with the table in docs/social.md: what cannot be seen answers 404 by URL and is
absent from every list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import Http404
from django.utils import timezone

from impasto.accounts.models import User
from impasto.social.selectors.notifications import notification_groups
from impasto.social.selectors.posts import (
    attachment_asset_ids_visible_to,
    bookmarks_page,
    post_get_for_viewer,
    post_likers,
    post_revisions,
    post_thread,
    post_view_for_viewer,
    posts_by_author,
    posts_by_tag,
    posts_hydrate,
    posts_liked_by,
    posts_page,
)
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.attachments import AttachmentSpec
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.posts import post_create, post_delete, post_edit, repost_create
from impasto.social.services.reactions import post_bookmark, post_like
from impasto.social.visibility import Viewer

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "follower", "pending", "stranger", "blocked", "blocking", "muted"]
KINDS = ["public", "unlisted", "followers", "deleted"]

# By URL (and every action on the post): who may read each kind.
BY_URL = {
    "public": {"anonymous", "owner", "follower", "pending", "stranger", "muted"},
    "unlisted": {"anonymous", "owner", "follower", "pending", "stranger", "muted"},
    "followers": {"owner", "follower", "muted"},
    "deleted": set(),
}
# In lists and feeds: the same minus muted.
IN_LISTS = {kind: readers - {"muted"} for kind, readers in BY_URL.items()}
# On discovery surfaces (tag pages): public posts only.
LISTED = {"public": IN_LISTS["public"], "unlisted": set(), "followers": set(), "deleted": set()}


@dataclass
class World:
    author: User
    readers: dict[str, User | None]
    posts: dict[str, int]
    fan: User  # likes and bookmarks everything they can

    def viewer(self, role: str) -> Viewer:
        return viewer_for(self.readers[role])


@pytest.fixture
def world(make_user, images) -> World:
    author = make_user(handle="author", display_name="Author")
    people = {role: make_user(handle=role) for role in ROLES[2:]}
    readers: dict[str, User | None] = {"anonymous": None, "owner": author, **people}
    fan = make_user(handle="fan")
    for follower in (people["follower"], people["muted"], fan):
        follow_create(follower=follower, followee=author)
    mute_create(muter=people["muted"], muted=author)
    block_create(blocker=author, blocked=people["blocked"])
    block_create(blocker=people["blocking"], blocked=author)
    social_settings_update(user=author, locked=True)
    follow_create(follower=people["pending"], followee=author)

    posts: dict[str, int] = {}
    for n, kind in enumerate(KINDS):
        images[100 + n] = author.pk
        visibility = "followers" if kind == "followers" else kind
        visibility = "public" if kind == "deleted" else visibility
        post = post_create(
            author=author,
            body=f"{kind} post #matrix",
            visibility=visibility,
            attachments=[AttachmentSpec(100 + n, "alt")],
        )
        post_edit(author=author, post_id=post.pk, body=f"{kind} post #matrix edited")
        post_like(user=fan, post_id=post.pk)
        post_bookmark(user=fan, post_id=post.pk)
        for role in ("follower", "muted", "stranger"):
            reader = readers[role]
            assert reader is not None
            if kind != "followers" or role != "stranger":
                post_bookmark(user=reader, post_id=post.pk)
        posts[kind] = post.pk
    post_delete(user=author, post_id=posts["deleted"])
    return World(author=author, readers=readers, posts=posts, fan=fan)


def _readable(fn) -> bool:
    try:
        fn()
    except Http404:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_by_url_and_actions(world: World, role: str) -> None:
    viewer = world.viewer(role)
    for kind in KINDS:
        _check_by_url(viewer, world, role, kind)


def _check_by_url(viewer: Viewer, world: World, role: str, kind: str) -> None:
    pid = world.posts[kind]
    expected = role in BY_URL[kind]
    assert _readable(lambda: post_view_for_viewer(viewer, pid)) is expected, (role, kind)
    assert _readable(lambda: post_get_for_viewer(viewer, pid)) is expected, (role, kind)
    assert _readable(lambda: post_thread(viewer, pid)) is expected, (role, kind)
    assert _readable(lambda: post_revisions(viewer, pid)) is expected, (role, kind)
    assert _readable(lambda: post_likers(viewer, pid)) is expected, (role, kind)
    asset = 100 + KINDS.index(kind)
    assert (attachment_asset_ids_visible_to(viewer, [asset]) == {asset}) is expected, (role, kind)


@pytest.mark.parametrize("role", ROLES)
def test_in_feeds_profile_and_tag_pages(world: World, role: str) -> None:
    viewer = world.viewer(role)
    kinds_by_id = {pid: kind for kind, pid in world.posts.items()}

    def kinds(views) -> set[str]:
        return {kinds_by_id[v.post.pk] for v in views if v.post.pk in kinds_by_id}

    expected_lists = {k for k in KINDS if role in IN_LISTS[k]}
    assert kinds(posts_page(viewer).items) == expected_lists
    assert kinds(posts_hydrate(viewer, list(world.posts.values()))) == expected_lists
    assert kinds(posts_by_tag(viewer, "MATRIX").items) == {k for k in KINDS if role in LISTED[k]}
    # Likes tab of the fan: the same rule as any list.
    assert kinds(posts_liked_by(viewer, world.fan).items) == expected_lists
    # The profile page: a block answers 404; a mute does not hide the page one went to.
    if role in {"blocked", "blocking"}:
        with pytest.raises(Http404):
            posts_by_author(viewer, world.author)
    else:
        expected_profile = {k for k in KINDS if role in BY_URL[k]}
        assert kinds(posts_by_author(viewer, world.author).items) == expected_profile


@pytest.mark.parametrize("role", ["follower", "muted", "stranger"])
def test_bookmarks_show_only_what_is_still_visible(world: World, role: str) -> None:
    viewer = world.viewer(role)
    kinds_by_id = {pid: kind for kind, pid in world.posts.items()}
    shown = {kinds_by_id[v.post.pk] for v in bookmarks_page(viewer).items}
    assert shown == {k for k in KINDS if role in BY_URL[k]}


def test_bookmarks_disappear_when_the_author_blocks_you(world: World) -> None:
    stranger = world.readers["stranger"]
    assert stranger is not None
    block_create(blocker=world.author, blocked=stranger)
    assert bookmarks_page(viewer_for(stranger)).items == []


def test_an_account_leaving_takes_its_posts_out_of_view(world: World) -> None:
    world.author.deletion_scheduled_at = timezone.now()
    world.author.save()
    for role in ROLES:
        viewer = world.viewer(role)
        assert not _readable(lambda v=viewer: post_view_for_viewer(v, world.posts["public"]))
        assert posts_page(viewer).items == []


# --- replies, reposts and quotes follow their target ------------------------------------------


def test_reply_to_followers_only_post_is_hidden_from_non_followers(alice, bob, carol) -> None:
    follow_create(follower=bob, followee=alice)
    private = post_create(author=alice, body="followers", visibility="followers")
    reply = post_create(author=bob, body="public reply", reply_to_id=private.pk)
    deeper = post_create(author=bob, body="deeper", reply_to_id=reply.pk)
    stranger = viewer_for(carol)
    for pid in (reply.pk, deeper.pk):
        with pytest.raises(Http404):
            post_view_for_viewer(stranger, pid)
    assert posts_page(stranger).items == []
    assert [v.post.pk for v in post_thread(viewer_for(bob), private.pk).replies] == [
        reply.pk,
        deeper.pk,
    ]


def test_replies_to_a_blocked_persons_post_are_hidden(alice, bob, carol) -> None:
    root = post_create(author=alice, body="root")
    reply = post_create(author=bob, body="reply", reply_to_id=root.pk)
    block_create(blocker=carol, blocked=alice)
    with pytest.raises(Http404):
        post_view_for_viewer(viewer_for(carol), reply.pk)
    post_view_for_viewer(viewer_for(bob), reply.pk)


def test_repost_disappears_with_its_original(alice, bob, carol) -> None:
    original = post_create(author=alice, body="original")
    repost = repost_create(user=bob, post_id=original.pk)
    assert repost.pk in [v.post.pk for v in posts_page(viewer_for(carol)).items]
    block_create(blocker=alice, blocked=carol)
    assert [v.post.pk for v in posts_page(viewer_for(carol)).items] == []
    with pytest.raises(Http404):
        post_view_for_viewer(viewer_for(carol), repost.pk)
    post_delete(user=alice, post_id=original.pk)
    assert posts_page(viewer_for(bob)).items == []


def test_quote_of_an_invisible_post_shows_a_placeholder(alice, bob, carol) -> None:
    original = post_create(author=alice, body="quoted")
    quote = post_create(author=bob, body="look at this", quote_of_id=original.pk)
    view = post_view_for_viewer(viewer_for(carol), quote.pk)
    assert view.quote is not None
    assert view.quote.body == "quoted"
    block_create(blocker=alice, blocked=carol)
    view = post_view_for_viewer(viewer_for(carol), quote.pk)
    assert view.quote is None
    assert view.quote_unavailable
    post_delete(user=alice, post_id=original.pk)
    view = post_view_for_viewer(viewer_for(bob), quote.pk)
    assert view.quote is None
    assert view.quote_unavailable


def test_muted_people_leave_lists_and_threads_but_not_urls(alice, bob, carol) -> None:
    root = post_create(author=alice, body="root")
    muted_reply = post_create(author=bob, body="muted reply", reply_to_id=root.pk)
    below = post_create(author=carol, body="under the muted reply", reply_to_id=muted_reply.pk)
    repost = repost_create(user=bob, post_id=root.pk)
    mute_create(muter=carol, muted=bob)
    viewer = viewer_for(carol)
    listed = [v.post.pk for v in posts_page(viewer).items]
    assert muted_reply.pk not in listed
    assert repost.pk not in listed
    assert below.pk in listed
    assert post_thread(viewer, root.pk).replies == []
    assert post_view_for_viewer(viewer, muted_reply.pk).subject.body == "muted reply"
    # Reposts *of* a muted person's posts leave lists too.
    mute_create(muter=carol, muted=alice)
    other = repost_create(user=carol, post_id=root.pk)
    assert other.pk not in [v.post.pk for v in posts_page(viewer_for(carol)).items]


def test_notifications_follow_visibility(alice, bob, carol, commit) -> None:
    with commit():
        post = post_create(author=alice, body="hi @bob")
    assert [g.kind for g in notification_groups(viewer_for(bob)).items] == ["mention"]
    block_create(blocker=bob, blocked=alice)
    assert notification_groups(viewer_for(bob)).items == []
    with commit():
        private = post_create(author=alice, body="@carol secret", visibility="followers")
    assert notification_groups(viewer_for(carol)).items == []
    assert post.pk != private.pk
