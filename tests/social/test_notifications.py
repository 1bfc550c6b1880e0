"""Notifications: who is told, grouping, unread count, removal, and the daily digest."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from impasto.social.models import DigestLog, Notification
from impasto.social.selectors.notifications import (
    UNREAD_CAP,
    notification_groups,
    notifications_unread_count,
)
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import (
    block_create,
    follow_create,
    mute_create,
    social_settings_update,
)
from impasto.social.services.notifications import (
    digest_send,
    notifications_for_post,
    notifications_mark_read,
)
from impasto.social.services.posts import post_create, post_delete, repost_create
from impasto.social.services.reactions import post_like, post_unlike
from impasto.social.tasks import digest_send_task, post_notify_task

pytestmark = pytest.mark.django_db


def test_every_kind_is_created_for_the_right_person(alice, bob, carol, commit) -> None:
    with commit():
        follow_create(follower=bob, followee=alice)
        post = post_create(author=alice, body="hello")
        post_create(author=bob, body="a reply", reply_to_id=post.pk)
        post_create(author=carol, body="a quote mentioning @alice", quote_of_id=post.pk)
        post_create(author=carol, body="just @alice")
        repost_create(user=bob, post_id=post.pk)
        post_like(user=carol, post_id=post.pk)
    kinds = sorted(Notification.objects.filter(recipient=alice).values_list("kind", flat=True))
    # The quote that also mentions alice is one notification (quote), not two.
    assert kinds == ["follow", "like", "mention", "quote", "reply", "repost"]
    assert not Notification.objects.exclude(recipient=alice).exists()


def test_grouping_reads_like_a_sentence(make_user, alice, commit) -> None:
    post = post_create(author=alice, body="like me")
    fans = [make_user(display_name=f"Fan {i}") for i in range(4)]
    with commit():
        for fan in fans:
            post_like(user=fan, post_id=post.pk)
            follow_create(follower=fan, followee=alice)
        post_create(author=fans[0], body="reply one", reply_to_id=post.pk)
        post_create(author=fans[1], body="reply two", reply_to_id=post.pk)
    groups = notification_groups(viewer_for(alice)).items
    summaries = [g.summary() for g in groups]
    assert summaries == [
        "Fan 1 replied to your post",
        "Fan 0 replied to your post",
        "Fan 3 and 3 others followed you",
        "Fan 3 and 3 others liked your post",
    ]
    likes = groups[3]
    assert [a.display_name for a in likes.actors] == ["Fan 3", "Fan 2", "Fan 1"]
    assert likes.count == 4
    assert likes.unread
    assert likes.target.pk == post.pk
    two = notification_groups(viewer_for(alice), limit=2)
    rest = notification_groups(viewer_for(alice), limit=2, before=two.next_cursor)
    assert [g.key for g in two.items + rest.items] == [g.key for g in groups]
    assert rest.next_cursor is None


def test_one_other_is_singular(alice, bob, carol, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
        post_like(user=carol, post_id=post.pk)
    assert notification_groups(viewer_for(alice)).items[0].summary() == (
        "Carol and 1 other liked your post"
    )


def test_nobody_is_told_about_themselves(alice, commit) -> None:
    with commit():
        post = post_create(author=alice, body="me @alice")
        post_create(author=alice, body="my reply", reply_to_id=post.pk)
        post_like(user=alice, post_id=post.pk)
        repost_create(user=alice, post_id=post.pk)
    assert not Notification.objects.exists()


def test_blocked_and_muted_actors_are_not_heard(alice, bob, carol, commit) -> None:
    post = post_create(author=alice, body="x")
    block_create(blocker=alice, blocked=bob)
    mute_create(muter=alice, muted=carol)
    with commit():
        post_like(user=carol, post_id=post.pk)
        post_create(author=carol, body="@alice hey")
        post_create(author=bob, body="@alice hey")
    assert not Notification.objects.exists()


def test_muting_later_hides_and_inactive_actor_disappears(alice, bob, carol, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        post_like(user=bob, post_id=post.pk)
        post_like(user=carol, post_id=post.pk)
    carol.deletion_scheduled_at = timezone.now()
    carol.save()
    groups = notification_groups(viewer_for(alice)).items
    assert [a.handle for a in groups[0].actors] == ["bob"]
    assert groups[0].count == 1
    assert notifications_unread_count(viewer_for(alice)) == 1


def test_tasks_are_idempotent_and_unlike_removes(alice, bob, commit) -> None:
    with commit():
        post = post_create(author=alice, body="x")
        reply = post_create(author=bob, body="@alice reply", reply_to_id=post.pk)
    post_notify_task.enqueue(reply.pk)
    notifications_for_post(post_id=reply.pk)
    assert Notification.objects.count() == 1
    with commit():
        post_like(user=bob, post_id=post.pk)
    post_unlike(user=bob, post_id=post.pk)
    with commit():
        post_like(user=bob, post_id=post.pk)
    assert Notification.objects.filter(kind="like").count() == 1


def test_deleting_the_subject_removes_notifications(alice, bob, commit) -> None:
    with commit():
        post = post_create(author=alice, body="x")
        reply = post_create(author=bob, body="reply @alice", reply_to_id=post.pk)
        post_like(user=bob, post_id=post.pk)
    assert Notification.objects.count() == 2
    post_delete(user=bob, post_id=reply.pk)
    assert list(Notification.objects.values_list("kind", flat=True)) == ["like"]
    post_delete(user=alice, post_id=post.pk)
    assert not Notification.objects.exists()


def test_unread_count_and_mark_read(make_user, alice, commit) -> None:
    post = post_create(author=alice, body="x")
    with commit():
        for _ in range(3):
            post_like(user=make_user(), post_id=post.pk)
    viewer = viewer_for(alice)
    assert notifications_unread_count(viewer) == 3
    first = Notification.objects.order_by("id").first()
    assert first is not None
    assert notifications_mark_read(user=alice, up_to_id=first.pk) == 1
    assert notifications_unread_count(viewer) == 2
    notifications_mark_read(user=alice)
    assert notifications_unread_count(viewer) == 0
    assert not notification_groups(viewer).items[0].unread


def test_unread_count_is_capped(make_user, alice) -> None:
    other = make_user()
    Notification.objects.bulk_create(
        Notification(recipient=alice, actor=other, kind="mention", target_type="", target_id=i,
                     group_key=f"k{i}")
        for i in range(UNREAD_CAP + 5)
    )  # fmt: skip
    assert notifications_unread_count(viewer_for(alice)) == UNREAD_CAP


# --- digest -----------------------------------------------------------------------------------


def _yesterdays_likes(make_user, user, commit, n=2) -> dt.date:
    """Likes notified three hours ago; returns the day whose digest covers them (the next UTC
    midnight after them: tomorrow, or today between midnight and three)."""
    post = post_create(author=user, body="x")
    with commit():
        for i in range(n):
            post_like(user=make_user(display_name=f"Liker {i}"), post_id=post.pk)
    at = timezone.now() - dt.timedelta(hours=3)
    Notification.objects.update(created_at=at)
    return at.date() + dt.timedelta(days=1)


def test_digest_goes_to_those_who_asked_once_a_day(make_user, alice, bob, commit) -> None:
    social_settings_update(user=alice, digest_daily=True)
    _yesterdays_likes(make_user, bob, commit)  # bob did not ask
    day = _yesterdays_likes(make_user, alice, commit)
    assert digest_send(user_id=alice.pk, day=day) is True
    assert digest_send(user_id=alice.pk, day=day) is False
    assert digest_send(user_id=bob.pk, day=day) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "2 new notifications" in message.subject
    assert "Liker 1 and 1 other liked your post" in message.body
    assert DigestLog.objects.get(user=alice, day=day).notifications == 1


def test_digest_with_nothing_new_sends_nothing_but_counts_the_day(alice) -> None:
    social_settings_update(user=alice, digest_daily=True)
    day = timezone.now().date()
    assert digest_send(user_id=alice.pk, day=day) is False
    assert not mail.outbox
    assert DigestLog.objects.get(user=alice, day=day).sent_at is not None


def test_digest_task_and_command_are_idempotent(make_user, alice, commit) -> None:
    social_settings_update(user=alice, digest_daily=True)
    day = _yesterdays_likes(make_user, alice, commit).isoformat()
    out = StringIO()
    call_command("send_digests", "--date", day, stdout=out)
    call_command("send_digests", "--date", day, stdout=out)
    digest_send_task.enqueue(alice.pk, day)
    call_command("send_digests", "--date", day, "--enqueue", stdout=out)
    assert len(mail.outbox) == 1
    assert "Sent 1 digests" in out.getvalue()
    assert "Sent 0 digests" in out.getvalue()


def test_digest_takes_over_a_stale_claim_but_not_a_fresh_one(make_user, alice, commit) -> None:
    social_settings_update(user=alice, digest_daily=True)
    day = _yesterdays_likes(make_user, alice, commit)
    log = DigestLog.objects.create(user=alice, day=day, claimed_at=timezone.now())
    assert digest_send(user_id=alice.pk, day=day) is False  # another worker is on it
    DigestLog.objects.filter(pk=log.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=2))
    assert digest_send(user_id=alice.pk, day=day) is True  # that worker died: take over
    assert len(mail.outbox) == 1


def test_send_digests_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "tomorrow")
