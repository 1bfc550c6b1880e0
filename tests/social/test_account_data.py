"""Erasing and exporting a person's social data; the demo's social content."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from impasto.accounts.models import User
from impasto.social.account_data import erase_user, export_user
from impasto.social.models import Conversation, Follow, Message, Notification, Post, PostLike
from impasto.social.selectors.graph import counts_of
from impasto.social.selectors.posts import post_view_for_viewer
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create
from impasto.social.services.messages import message_send
from impasto.social.services.posts import post_create, post_edit, repost_create
from impasto.social.services.reactions import post_bookmark, post_like

pytestmark = pytest.mark.django_db


def test_erase_removes_everything_and_keeps_others_counts_right(alice, bob, carol, commit) -> None:
    with commit():
        follow_create(follower=alice, followee=bob)
        follow_create(follower=carol, followee=alice)
        bobs = post_create(author=bob, body="bob's post")
        post_like(user=alice, post_id=bobs.pk)
        repost_create(user=alice, post_id=bobs.pk)
        mine = post_create(author=alice, body="alice's post")
        reply = post_create(author=carol, body="carol replies", reply_to_id=mine.pk)
        post_create(author=alice, body="alice replies to bob", reply_to_id=bobs.pk)
        message_send(sender=alice, recipient=bob, body="hi")
        block_create(blocker=alice, blocked=carol)
    erase_user(alice)
    erase_user(alice)  # idempotent
    bobs.refresh_from_db()
    assert (bobs.likes_count, bobs.reposts_count, bobs.replies_count) == (0, 0, 0)
    assert counts_of(bob).followers == 0
    assert counts_of(carol).following == 0
    assert not Post.objects.filter(author=alice).exists()
    assert not Follow.objects.filter(follower=alice).exists()
    assert not PostLike.objects.filter(user=alice).exists()
    assert not Notification.objects.filter(actor=alice).exists()
    assert not Conversation.objects.exists()
    # Carol's reply stays and shows its parent as deleted.
    assert post_view_for_viewer(viewer_for(bob), reply.pk).parent_deleted


def test_export_holds_posts_history_graph_and_messages(alice, bob) -> None:
    follow_create(follower=alice, followee=bob)
    post = post_create(author=alice, body="first", visibility="followers")
    post_edit(author=alice, post_id=post.pk, body="second")
    post_bookmark(user=alice, post_id=post.pk)
    message_send(sender=alice, recipient=bob, body="hello bob")
    data = export_user(alice)
    json.dumps(data)  # JSON-ready
    assert data["posts"][0]["body"] == "second"
    assert data["posts"][0]["id"] == str(post.pk)
    assert data["posts"][0]["earlier_versions"][0]["body"] == "first"
    assert data["following"] == ["bob"]
    assert data["bookmarked_posts"] == [str(post.pk)]
    assert data["conversations"][0]["with"] == "bob"
    assert data["conversations"][0]["messages"][0]["body"] == "hello bob"


def test_demo_artists_follow_each_other_and_talk() -> None:
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())  # a second run adds nothing
    mira = User.objects.get(handle="mira")
    assert counts_of(mira).followers == 4
    posts = Post.objects.filter(author__handle__in=["mira", "theo_lenoir", "sana"])
    assert posts.filter(reply_to__isnull=False).exists()
    assert posts.filter(repost_of__isnull=False).exists()
    assert Post.objects.filter(quote_of__isnull=False).count() == 1
    assert PostLike.objects.count() == 8
    assert Post.objects.filter(repost_of__isnull=True).count() == 9
    # For the social pages: a content warning, a link preview, an edit, a conversation.
    assert Post.objects.exclude(content_warning="").count() == 1
    assert Post.objects.exclude(link_path="").count() == 1
    assert Post.objects.filter(edited_at__isnull=False).count() == 1
    assert Message.objects.count() == 2
