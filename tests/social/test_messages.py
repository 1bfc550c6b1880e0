"""Direct messages: the recipient's policy, the requests inbox, blocks, unread counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from impasto.social.models import Conversation, Message
from impasto.social.selectors.messages import (
    conversation_get_for_viewer,
    conversations_page,
    messages_page,
    messages_unread_counts,
)
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, follow_create, social_settings_update
from impasto.social.services.messages import (
    conversation_accept,
    conversation_decline,
    conversation_mark_read,
    message_reply,
    message_send,
)

pytestmark = pytest.mark.django_db


def test_message_from_a_stranger_lands_in_requests(alice, bob) -> None:
    message = message_send(sender=alice, recipient=bob, body="Hi, love your work")
    bob_v, alice_v = viewer_for(bob), viewer_for(alice)
    assert conversations_page(bob_v).items == []
    requests = conversations_page(bob_v, requests=True).items
    assert [(i.other, i.unread, i.last_message) for i in requests] == [(alice, 1, message)]
    assert messages_unread_counts(bob_v).requests == 1
    # The sender sees it in their inbox, read.
    assert [(i.other, i.unread) for i in conversations_page(alice_v).items] == [(bob, 0)]
    conversation_accept(user=bob, conversation_id=message.conversation_id)
    assert [i.other for i in conversations_page(bob_v).items] == [alice]
    assert messages_unread_counts(bob_v).conversations == 1
    conversation_mark_read(user=bob, conversation_id=message.conversation_id)
    assert messages_unread_counts(bob_v).conversations == 0


def test_message_from_someone_you_follow_goes_straight_to_the_inbox(alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    message_send(sender=alice, recipient=bob, body="hello")
    assert [i.other for i in conversations_page(viewer_for(bob)).items] == [alice]


def test_writing_back_accepts_a_request(alice, bob) -> None:
    message = message_send(sender=alice, recipient=bob, body="hello")
    message_reply(sender=bob, conversation_id=message.conversation_id, body="hi back")
    assert [i.other for i in conversations_page(viewer_for(bob)).items] == [alice]
    assert [i.unread for i in conversations_page(viewer_for(alice)).items] == [1]


@pytest.mark.parametrize(
    ("policy", "follows", "allowed"),
    [
        ("everyone", False, True),
        ("following", False, False),
        ("following", True, True),
        ("nobody", True, False),
    ],
)
def test_the_recipients_policy_decides(alice, bob, policy, follows, allowed) -> None:
    social_settings_update(user=bob, message_policy=policy)
    if follows:
        follow_create(follower=bob, followee=alice)
    if allowed:
        message_send(sender=alice, recipient=bob, body="hello")
    else:
        with pytest.raises(PermissionDenied, match="can't send messages to this person"):
            message_send(sender=alice, recipient=bob, body="hello")
        assert not Message.objects.exists()


def test_block_stops_messages_and_hides_the_conversation(alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    message = message_send(sender=alice, recipient=bob, body="hello")
    block_create(blocker=bob, blocked=alice)
    for sender, recipient in ((alice, bob), (bob, alice)):
        with pytest.raises(PermissionDenied):
            message_send(sender=sender, recipient=recipient, body="still there?")
    for user in (alice, bob):
        viewer = viewer_for(user)
        assert conversations_page(viewer).items == []
        assert messages_unread_counts(viewer).conversations == 0
        with pytest.raises(Http404):
            messages_page(viewer, message.conversation_id)
        with pytest.raises(Http404):
            conversation_mark_read(user=user, conversation_id=message.conversation_id)


def test_declined_requests_stop_the_sender(alice, bob) -> None:
    message = message_send(sender=alice, recipient=bob, body="hello")
    conversation_decline(user=bob, conversation_id=message.conversation_id)
    assert conversations_page(viewer_for(bob), requests=True).items == []
    with pytest.raises(PermissionDenied):
        message_send(sender=alice, recipient=bob, body="hello??")
    with pytest.raises(Http404):
        conversation_get_for_viewer(viewer_for(bob), message.conversation_id)


def test_outsiders_cannot_read_a_conversation(alice, bob, carol) -> None:
    message = message_send(sender=alice, recipient=bob, body="private")
    with pytest.raises(Http404):
        messages_page(viewer_for(carol), message.conversation_id)
    with pytest.raises(Http404):
        messages_page(viewer_for(None), message.conversation_id)
    with pytest.raises(Http404):
        message_reply(sender=carol, conversation_id=message.conversation_id, body="me too")
    with pytest.raises(Http404):
        conversation_accept(user=carol, conversation_id=message.conversation_id)


def test_messages_are_sanitized_and_validated(alice, bob) -> None:
    message = message_send(
        sender=alice, recipient=bob, body="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<script" not in message.body_html
    assert 'href="javascript' not in message.body_html
    for body, error in (("", ValidationError), ("x" * 5001, ValidationError)):
        with pytest.raises(error):
            message_send(sender=alice, recipient=bob, body=body)
    with pytest.raises(PermissionDenied):
        message_send(sender=alice, recipient=alice, body="me")
    assert Message.objects.count() == 1


def test_one_conversation_per_pair_paged_newest_first(alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    follow_create(follower=alice, followee=bob)
    for i in range(5):
        message_send(sender=alice if i % 2 else bob, recipient=bob if i % 2 else alice, body=f"{i}")
    assert Conversation.objects.count() == 1
    conversation = Conversation.objects.get()
    viewer = viewer_for(alice)
    first = messages_page(viewer, conversation.pk, limit=3)
    second = messages_page(viewer, conversation.pk, limit=3, before=first.next_cursor)
    assert [m.body for m in first.items + second.items] == ["4", "3", "2", "1", "0"]
    assert second.next_cursor is None
