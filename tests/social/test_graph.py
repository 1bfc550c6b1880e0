"""Follow, requests for locked accounts, block, mute, settings, and the counters they move."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from impasto.social.models import Block, Follow, Mute, Notification, SocialSettings
from impasto.social.selectors.graph import (
    counts_of,
    follow_requests_page,
    followers_page,
    following_page,
)
from impasto.social.selectors.relations import relationship, viewer_for
from impasto.social.services.graph import (
    block_create,
    block_delete,
    follow_create,
    follow_delete,
    follow_request_accept,
    follow_request_reject,
    follower_remove,
    mute_create,
    mute_delete,
    social_settings_update,
)

pytestmark = pytest.mark.django_db


def test_follow_counts_once_and_is_idempotent(alice, bob) -> None:
    first = follow_create(follower=alice, followee=bob)
    again = follow_create(follower=alice, followee=bob)
    assert first.pk == again.pk
    assert first.state == Follow.State.ACCEPTED
    assert counts_of(bob).followers == 1
    assert counts_of(alice).following == 1
    assert follow_delete(follower=alice, followee=bob) is True
    assert follow_delete(follower=alice, followee=bob) is False
    assert (counts_of(bob).followers, counts_of(alice).following) == (0, 0)


def test_follow_refuses_self_with_a_message(alice) -> None:
    with pytest.raises(ValidationError, match="cannot follow yourself"):
        follow_create(follower=alice, followee=alice)


def test_follow_of_someone_blocking_you_is_404_and_stores_nothing(alice, bob) -> None:
    block_create(blocker=bob, blocked=alice)
    with pytest.raises(Http404):
        follow_create(follower=alice, followee=bob)
    with pytest.raises(Http404):
        follow_create(follower=bob, followee=alice)
    assert not Follow.objects.exists()


def test_follow_of_inactive_account_is_404(alice, bob) -> None:
    bob.is_active = False
    bob.save()
    with pytest.raises(Http404):
        follow_create(follower=alice, followee=bob)


def test_locked_account_gets_requests_and_counts_only_accepted(alice, bob, commit) -> None:
    social_settings_update(user=bob, locked=True)
    with commit():
        follow = follow_create(follower=alice, followee=bob)
    assert follow.state == Follow.State.PENDING
    assert counts_of(bob).followers == 0
    assert Notification.objects.get(recipient=bob).kind == "follow_request"
    assert [p.user for p in follow_requests_page(viewer_for(bob)).items] == [alice]
    rel = relationship(viewer_for(alice), bob)
    assert rel.requested
    assert not rel.following

    with commit():
        accepted = follow_request_accept(user=bob, follower=alice)
    assert accepted.state == Follow.State.ACCEPTED
    assert counts_of(bob).followers == 1
    assert list(Notification.objects.filter(recipient=bob).values_list("kind", flat=True)) == [
        "follow"
    ]
    # Accepting twice changes nothing.
    follow_request_accept(user=bob, follower=alice)
    assert counts_of(bob).followers == 1


def test_rejecting_a_request_removes_it_and_its_notification(alice, bob, commit) -> None:
    social_settings_update(user=bob, locked=True)
    with commit():
        follow_create(follower=alice, followee=bob)
    follow_request_reject(user=bob, follower=alice)
    assert not Follow.objects.exists()
    assert not Notification.objects.exists()
    assert counts_of(bob).followers == 0
    with pytest.raises(Http404):
        follow_request_reject(user=bob, follower=alice)


def test_withdrawing_a_request_does_not_touch_counters(alice, bob, commit) -> None:
    social_settings_update(user=bob, locked=True)
    with commit():
        follow_create(follower=alice, followee=bob)
    assert follow_delete(follower=alice, followee=bob)
    assert counts_of(bob).followers == 0
    assert not Notification.objects.exists()


def test_unlocking_accepts_waiting_requests(alice, bob, carol) -> None:
    social_settings_update(user=bob, locked=True)
    follow_create(follower=alice, followee=bob)
    follow_create(follower=carol, followee=bob)
    social_settings_update(user=bob, locked=False)
    assert set(Follow.objects.values_list("state", flat=True)) == {Follow.State.ACCEPTED}
    assert counts_of(bob).followers == 2


def test_removing_a_follower(alice, bob) -> None:
    follow_create(follower=alice, followee=bob)
    assert follower_remove(user=bob, follower=alice)
    assert counts_of(bob).followers == 0
    assert counts_of(alice).following == 0


def test_block_removes_follows_both_ways_and_notifications(alice, bob, carol, commit) -> None:
    with commit():
        follow_create(follower=alice, followee=bob)
        follow_create(follower=bob, followee=alice)
        follow_create(follower=carol, followee=bob)
    block_create(blocker=alice, blocked=bob)
    assert list(Follow.objects.values_list("follower__handle", "followee__handle")) == [
        ("carol", "bob")
    ]
    assert (counts_of(alice).followers, counts_of(alice).following) == (0, 0)
    assert (counts_of(bob).followers, counts_of(bob).following) == (1, 0)
    assert not Notification.objects.filter(recipient__in=[alice, bob], actor__in=[alice, bob])
    assert Notification.objects.filter(recipient=bob, actor=carol).exists()
    rel = relationship(viewer_for(bob), alice)
    assert rel.blocked_by
    assert not rel.blocking


def test_block_removes_pending_requests(alice, bob) -> None:
    social_settings_update(user=alice, locked=True)
    follow_create(follower=bob, followee=alice)
    block_create(blocker=alice, blocked=bob)
    assert not Follow.objects.exists()


def test_block_is_idempotent_and_unblock_does_not_restore_follows(alice, bob) -> None:
    follow_create(follower=alice, followee=bob)
    block_create(blocker=alice, blocked=bob)
    block_create(blocker=alice, blocked=bob)
    assert Block.objects.count() == 1
    assert block_delete(blocker=alice, blocked=bob)
    assert not block_delete(blocker=alice, blocked=bob)
    assert not Follow.objects.exists()
    with pytest.raises(ValidationError):
        block_create(blocker=alice, blocked=alice)


def test_mute_hides_quietly_and_removes_their_notifications(alice, bob, commit) -> None:
    with commit():
        follow_create(follower=bob, followee=alice)
    mute_create(muter=alice, muted=bob)
    mute_create(muter=alice, muted=bob)
    assert Mute.objects.count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()
    # Bob still follows; he is not told and cannot tell.
    assert relationship(viewer_for(bob), alice).followed_by is False
    assert relationship(viewer_for(bob), alice).following is True
    assert relationship(viewer_for(alice), bob).muting is True
    assert relationship(viewer_for(bob), alice).muting is False
    assert mute_delete(muter=alice, muted=bob)
    with pytest.raises(ValidationError):
        mute_create(muter=alice, muted=alice)


def test_settings_update_validates_and_saves_only_given_fields(alice) -> None:
    social_settings_update(user=alice, allow_quotes=False)
    social_settings_update(user=alice, digest_daily=True)
    settings = SocialSettings.objects.get(user=alice)
    assert (settings.allow_quotes, settings.digest_daily, settings.locked) == (False, True, False)
    with pytest.raises(ValidationError, match="who may message you"):
        social_settings_update(user=alice, message_policy="friends", locked=True)
    assert SocialSettings.objects.get(user=alice).locked is False


def test_follower_lists_hide_blocked_and_inactive_and_page_by_keyset(make_user, alice, bob) -> None:
    fans = [make_user() for _ in range(5)]
    for fan in fans:
        follow_create(follower=fan, followee=alice)
    block_create(blocker=fans[0], blocked=bob)
    fans[1].is_active = False
    fans[1].save()
    viewer = viewer_for(bob)
    first = followers_page(viewer, alice, limit=2)
    second = followers_page(viewer, alice, limit=2, before=first.next_cursor)
    shown = [p.user for p in first.items + second.items]
    assert shown == [fans[4], fans[3], fans[2]]
    assert second.next_cursor is None
    assert [p.user for p in following_page(viewer, fans[2]).items] == [alice]
    with pytest.raises(Http404):
        followers_page(viewer, fans[0])
