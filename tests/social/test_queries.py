"""Pages cost a constant number of queries, whatever their length."""

from __future__ import annotations

import pytest

from impasto.social.selectors.graph import followers_page
from impasto.social.selectors.messages import conversations_page
from impasto.social.selectors.notifications import (
    notification_groups,
    notifications_unread_count,
)
from impasto.social.selectors.posts import post_thread, posts_by_author, posts_page
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.attachments import AttachmentSpec
from impasto.social.services.graph import follow_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_bookmark, post_like

pytestmark = pytest.mark.django_db


def _mixed_timeline(make_user, reader, images, n):
    """``n`` posts by people ``reader`` follows: plain, with images, reposts, quotes, replies."""
    authors = [make_user() for _ in range(4)]
    for author in authors:
        follow_create(follower=reader, followee=author)
    for i in range(n):
        author = authors[i % 4]
        images[1000 + i] = author.pk
        kind = i % 5
        if kind == 0:
            target = post_create(author=author, body=f"post {i} #tag @{reader.handle}")
        elif kind == 1:
            target = post_create(
                author=author, body=f"image {i}", attachments=[AttachmentSpec(1000 + i, "alt")]
            )
        elif kind == 2:
            target = post_create(author=authors[(i + 1) % 4], body=f"original {i}")
            repost_create(user=author, post_id=target.pk)
        elif kind == 3:
            target = post_create(author=authors[(i + 2) % 4], body=f"quoted {i}")
            post_create(author=author, body=f"quote {i}", quote_of_id=target.pk)
        else:
            target = post_create(author=authors[(i + 3) % 4], body=f"parent {i}")
            post_create(
                author=author,
                body=f"reply {i}",
                reply_to_id=target.pk,
                attachments=[AttachmentSpec(1000 + i, decorative=True)],
            )
        post_like(user=reader, post_id=target.pk)
        if i % 2:
            post_bookmark(user=reader, post_id=target.pk)
    return authors


# relations (1), the page's post ids (1), the posts with joins and the reader's flags (1),
# quoted posts (1), images with their assets (1), the assets' variants (1)
PAGE_QUERIES = 6


@pytest.mark.parametrize("size", [5, 20])
def test_page_of_posts_with_reposts_and_quotes(
    make_user, alice, images, django_assert_num_queries, size
) -> None:
    _mixed_timeline(make_user, alice, images, 25)
    with django_assert_num_queries(PAGE_QUERIES):
        page = posts_page(viewer_for(alice), limit=size)
    assert len(page.items) == size
    kinds = {
        "repost": any(v.reposted_by for v in page.items),
        "quote": any(v.quote for v in page.items),
        "image": any(v.attachments for v in page.items),
        "reply": any(v.subject.reply_to for v in page.items),
    }
    assert all(kinds.values()) or size < 20, kinds
    # Everything a template touches is already loaded: no query while rendering.
    with django_assert_num_queries(0):
        for view in page.items:
            _ = (view.subject.author.profile.avatar, view.subject.body_html, view.liked)
            _ = view.reposted_by.handle if view.reposted_by else None
            _ = view.quote.author.handle if view.quote else None
            _ = view.subject.reply_to.author.handle if view.subject.reply_to else None
            _ = [(a.alt, [v.sha256 for v in a.asset.variants.all()]) for a in view.attachments]


@pytest.mark.parametrize("per_post", [1, 10])
def test_images_cost_the_same_queries_however_many(
    alice, bob, images, django_assert_num_queries, per_post
) -> None:
    from impasto.imaging.models import MediaVariant

    for p in range(5):
        ids = [p * 100 + n + 1 for n in range(per_post)]
        for asset_id in ids:
            images[asset_id] = bob.pk
            MediaVariant.objects.create(
                asset_id=asset_id, format="jpeg", width=320, height=213, sha256=f"{asset_id:064x}",
                key=f"v/{asset_id}.jpg", bytes=1,
            )  # fmt: skip
        post_create(author=bob, body=f"p{p}", attachments=[AttachmentSpec(i, "x") for i in ids])
    viewer = viewer_for(alice)
    # post ids (1), posts (1), images with their assets (1), variants (1): 5 or 50 images alike
    with django_assert_num_queries(4):
        page = posts_by_author(viewer, bob, limit=20)
    assert sum(len(v.attachments) for v in page.items) == 5 * per_post
    with django_assert_num_queries(0):
        for view in page.items:
            _ = [[v.sha256 for v in a.asset.variants.all()] for a in view.attachments]


def test_profile_page_of_posts(make_user, alice, bob, django_assert_num_queries) -> None:
    for i in range(30):
        post_create(author=bob, body=f"post {i}")
    viewer = viewer_for(alice)
    with django_assert_num_queries(3):  # ids, posts, images (no quotes on the page: no quote query)
        page = posts_by_author(viewer, bob, limit=20)
    assert len(page.items) == 20


@pytest.mark.parametrize("size", [10, 50])
def test_thread_of_many_posts(make_user, alice, django_assert_num_queries, size) -> None:
    people = [make_user() for _ in range(5)]
    root = post_create(author=alice, body="root")
    parents = [root]
    for i in range(size - 1):
        reply = post_create(author=people[i % 5], body=f"reply {i}", reply_to_id=parents[i // 3].pk)
        parents.append(reply)
    viewer = viewer_for(people[0])
    # the focused post, the thread's posts, images
    with django_assert_num_queries(3):
        thread = post_thread(viewer, root.pk)
    assert len(thread.replies) == size - 1
    with django_assert_num_queries(0):
        for view in thread.replies:
            parent = view.subject.reply_to
            _ = (view.subject.author.profile.avatar, view.depth, parent and parent.author)


@pytest.mark.parametrize("size", [3, 20])
def test_notifications_page(make_user, alice, commit, django_assert_num_queries, size) -> None:
    with commit():
        for i in range(size):
            fan = make_user()
            post = post_create(author=alice, body=f"post {i}")
            post_like(user=fan, post_id=post.pk)
            post_like(user=make_user(), post_id=post.pk)
            follow_create(follower=fan, followee=alice)
            post_create(author=fan, body=f"@{alice.handle} hi")
    viewer = viewer_for(alice)
    # groups (1), sample actors (1), target posts (1)
    with django_assert_num_queries(3):
        page = notification_groups(viewer, limit=size)
    assert len(page.items) == size
    with django_assert_num_queries(0):
        for group in page.items:
            _ = (group.summary(), group.actors[0].profile.avatar, group.target)
    with django_assert_num_queries(1):
        notifications_unread_count(viewer)


@pytest.mark.parametrize("size", [3, 20])
def test_people_and_inbox_pages(make_user, alice, django_assert_num_queries, size) -> None:
    for _ in range(size):
        fan = make_user()
        follow_create(follower=fan, followee=alice)
        message_send(sender=fan, recipient=alice, body="hello")
    viewer = viewer_for(alice)
    with django_assert_num_queries(2):  # follows with people, their follows of the reader
        people = followers_page(viewer, alice, limit=size)
    assert len(people.items) == size
    with django_assert_num_queries(2):  # memberships with people and unread, last messages
        inbox = conversations_page(viewer, limit=size, requests=True)
    assert len(inbox.items) == size
    with django_assert_num_queries(0):
        for item in inbox.items:
            assert item.last_message is not None
            _ = (item.other.profile.avatar, item.last_message.body_html, item.unread)
