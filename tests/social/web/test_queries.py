"""The social pages cost a constant number of queries, whatever the number of items shown."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impasto.accounts.models import User
from impasto.imaging.models import MediaAsset, MediaVariant, Purpose
from impasto.social.models import Post
from impasto.social.services.attachments import AttachmentSpec
from impasto.social.services.graph import follow_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, repost_create
from impasto.social.services.reactions import post_bookmark, post_like
from tests.factories import MediaAssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def _image(owner: User) -> MediaAsset:
    """A ready post image with a variant per format (rows only: enough for {% picture %})."""
    asset = MediaAssetFactory.create(owner=owner, purpose=Purpose.POST, blurhash="LEHV6nWB2yk8")
    for n, fmt in enumerate(("avif", "webp", "jpeg")):
        MediaVariant.objects.create(
            asset=asset, format=fmt, width=320, height=213, sha256=f"{asset.pk:060x}{n:04x}",
            key=f"v/{asset.pk}.{fmt}", bytes=1,
        )  # fmt: skip
    return asset


def _thread(author: User, people: list[User], size: int) -> Post:
    """A thread of ``size`` posts: the root, replies to it and replies to replies, one quote and
    one link to another post (so every kind of extra query is there whatever the size)."""
    root = post_create(author=author, body="The root of the thread #ink")
    other = post_create(author=people[0], body="Quoted elsewhere")
    parents = [root]
    for i in range(size - 1):
        person = people[i % len(people)]
        parent = parents[i % len(parents)]
        if i == 0:
            reply = post_create(
                author=person, body="quoting", reply_to_id=root.pk, quote_of_id=other.pk
            )
        elif i == 1:
            reply = post_create(
                author=person,
                body=f"see {settings.SITE_URL}/@{other.author.handle}/posts/{other.pk}",
                reply_to_id=root.pk,
            )
        else:
            reply = post_create(
                author=person,
                body=f"reply {i} @{author.handle}",
                reply_to_id=parent.pk,
                # Every other reply has one to three images, each with its variants.
                attachments=[AttachmentSpec(_image(person).pk, "a study") for _ in range(i % 4)],
            )
        parents.append(reply)
        if i % 3 == 0:
            post_like(user=author, post_id=reply.pk)
    return root


def test_post_page_costs_the_same_for_a_thread_of_5_or_50() -> None:
    reader = UserFactory.create()
    client = Client()
    client.force_login(reader)
    counts = []
    for size in (5, 50):
        author = UserFactory.create()
        people = [UserFactory.create() for _ in range(4)]
        follow_create(follower=reader, followee=author)
        root = _thread(author, people, size)
        url = reverse("social:post-detail", kwargs={"handle": author.handle, "post_id": root.pk})
        page = client.get(url).content.decode()
        assert page.count('class="thread__item') >= size
        assert page.count("<picture") >= size // 3
        counts.append(queries(client, url))
    assert counts[0] == counts[1]
    # session, user, the reader's relations, the post, the thread, quoted posts, images with
    # their assets, their variants, the linked post's preview, the header's badges
    assert counts[1] == 10


def _timeline(author: User, others: list[User], size: int) -> None:
    """``size`` posts on ``author``'s Posts tab: plain, reposts, quotes, a link to a post."""
    target = post_create(author=others[0], body="Someone else's work")
    for i in range(size):
        kind = i % 4
        if kind == 0:
            post_create(author=author, body=f"post {i} #ink")
        elif kind == 1:
            original = post_create(author=others[i % len(others)], body=f"original {i}")
            repost_create(user=author, post_id=original.pk)
        elif kind == 2:
            post_create(author=author, body=f"quote {i}", quote_of_id=target.pk)
        else:
            post_create(
                author=author, body=f"see {settings.SITE_URL}/@{others[0].handle}/posts/{target.pk}"
            )


def test_profile_posts_tab_costs_the_same_for_4_or_20_posts() -> None:
    reader = UserFactory.create()
    client = Client()
    client.force_login(reader)
    counts = []
    for size in (4, 20):
        author = UserFactory.create()
        others = [UserFactory.create() for _ in range(3)]
        _timeline(author, others, size)
        follow_create(follower=reader, followee=author)
        url = f"/@{author.handle}/posts"
        assert client.get(url).content.decode().count('class="post-list__item"') == size
        counts.append(queries(client, url))
    assert counts[0] == counts[1]
    # the person and their fields (accounts), session, user, the reader's relations, the post ids,
    # the posts, quoted posts, images, previews (the Posts tab), the person's settings, their
    # relationship to the reader, the counters, an open conversation (the Message button), the
    # header's badges
    assert counts[1] == 15


def test_notifications_page_costs_the_same_for_2_or_30_groups(commit) -> None:
    counts = []
    for size in (2, 30):
        me = UserFactory.create()
        client = Client()
        client.force_login(me)
        for i in range(size):
            fan = UserFactory.create()
            post = post_create(author=me, body=f"post {i}")
            with commit():  # the notifications are made by tasks, on commit
                post_like(user=fan, post_id=post.pk)
                if i % 2:
                    post_create(author=fan, body=f"@{me.handle} hello", reply_to_id=post.pk)
        url = reverse("social:notifications")
        html = client.get(url).content.decode()
        assert html.count('<li class="notification') == min(size + size // 2, 20)  # likes, replies
        # Opened once: now read. The next visit costs the same (nothing left to mark).
        counts.append(queries(client, url))
    assert counts[0] == counts[1]
    # session, user, the reader's relations, the groups, their people, their posts, marking
    # them read, waiting follow requests, the header's badges
    assert counts[1] == 9


def test_inbox_costs_the_same_for_2_or_30_conversations() -> None:
    counts = []
    for size in (2, 30):
        me = UserFactory.create()
        client = Client()
        client.force_login(me)
        for i in range(size):
            other = UserFactory.create()
            follow_create(follower=me, followee=other)
            message_send(sender=other, recipient=me, body=f"Hello {i}")
        url = reverse("social:inbox")
        assert client.get(url).content.decode().count('<li class="conversation-item') == min(
            size, 20
        )
        counts.append(queries(client, url))
    assert counts[0] == counts[1]
    # session, user, the reader's relations, the conversations, their last messages, the folder
    # counts (for the tabs and the header alike)
    assert counts[1] == 6


def test_bookmarks_and_tag_pages_cost_the_same_whatever_their_length() -> None:
    reader = UserFactory.create()
    client = Client()
    client.force_login(reader)
    author = UserFactory.create()
    counts: dict[str, list[int]] = {"bookmarks": [], "tag": []}
    for size in (3, 20):
        for i in range(size):
            post = post_create(author=author, body=f"#batch{size} number {i}")
            post_bookmark(user=reader, post_id=post.pk)
        counts["bookmarks"].append(queries(client, reverse("social:bookmarks")))
        counts["tag"].append(queries(client, reverse("social:tag", args=[f"batch{size}"])))
    assert counts["bookmarks"][0] == counts["bookmarks"][1]
    assert counts["tag"][0] == counts["tag"][1]
