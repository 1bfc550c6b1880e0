"""Direct messages through the API: requests, inbox, conversations, reading, refusals."""

from __future__ import annotations

import pytest

from impasto.social.models import ConversationMember, Message
from impasto.social.services.graph import block_create, follow_create, social_settings_update
from impasto.social.services.messages import message_send
from tests.api.social.conftest import assert_error, fields

pytestmark = pytest.mark.django_db


def send(api, sender, to: str, body: str):
    return api(sender).post("/api/v1/conversations", {"to": to, "body": body})


def test_a_first_message_from_a_stranger_is_a_request_until_accepted(api, alice, bob) -> None:
    sent = send(api, alice, "@Bob", "Hello **Bob** <img src=x onerror=alert(1)>")
    assert sent.status_code == 201, sent.content
    message = sent.json()
    assert message["sender"]["handle"] == "alice"
    assert "<strong>Bob</strong>" in message["body_html"]
    assert "<img" not in message["body_html"]
    assert "&lt;img" in message["body_html"]
    conversation_id = message["conversation_id"]

    bob_api = api(bob)
    assert bob_api.get("/api/v1/conversations").json()["items"] == []
    requests = bob_api.get("/api/v1/conversations", folder="requests").json()["items"]
    assert [c["id"] for c in requests] == [conversation_id]
    assert requests[0]["folder"] == "requests"
    assert requests[0]["other"]["handle"] == "alice"
    assert requests[0]["unread"] == 1
    assert requests[0]["last_message"]["id"] == message["id"]
    assert bob_api.get("/api/v1/conversations/unread-count").json() == {
        "conversations": 0,
        "requests": 1,
    }
    assert bob_api.post(f"/api/v1/conversations/{conversation_id}/accept").status_code == 204
    inbox = bob_api.get("/api/v1/conversations").json()["items"]
    assert [(c["id"], c["folder"]) for c in inbox] == [(conversation_id, "inbox")]
    assert bob_api.get("/api/v1/conversations/unread-count").json()["conversations"] == 1
    assert bob_api.post(f"/api/v1/conversations/{conversation_id}/read").status_code == 204
    assert bob_api.get("/api/v1/conversations/unread-count").json()["conversations"] == 0


def test_messages_page_newest_first_and_reply_in_the_conversation(api, alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    first = message_send(sender=alice, recipient=bob, body="one")
    conversation_id = first.conversation_id
    reply = api(bob).post(f"/api/v1/conversations/{conversation_id}/messages", {"body": "two"})
    assert reply.status_code == 201
    message_send(sender=alice, recipient=bob, body="three")
    page = api(bob).get(f"/api/v1/conversations/{conversation_id}/messages", limit=2).json()
    assert [m["body_html"].strip() for m in page["items"]] == ["<p>three</p>", "<p>two</p>"]
    rest = (
        api(bob)
        .get(f"/api/v1/conversations/{conversation_id}/messages", limit=2, before=page["before"])
        .json()
    )
    assert [m["body_html"].strip() for m in rest["items"]] == ["<p>one</p>"]
    assert rest["before"] is None


def test_declined_request_stops_the_sender(api, alice, bob) -> None:
    conversation_id = message_send(sender=alice, recipient=bob, body="hi").conversation_id
    assert api(bob).post(f"/api/v1/conversations/{conversation_id}/decline").status_code == 204
    assert api(bob).get("/api/v1/conversations", folder="requests").json()["items"] == []
    refused = send(api, alice, "bob", "hello again?")
    assert "can't send" in assert_error(refused, 403)["detail"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("policy", ["nobody", "following"])
def test_recipient_setting_refuses_with_the_same_answer_as_a_block(
    api, alice, bob, carol, policy
) -> None:
    social_settings_update(user=bob, message_policy=policy)
    block_create(blocker=carol, blocked=alice)
    by_setting = assert_error(send(api, alice, "bob", "hi"), 403)
    by_block = assert_error(send(api, alice, "carol", "hi"), 403)
    assert by_setting == by_block
    assert Message.objects.count() == 0


def test_someone_elses_conversation_is_404_for_every_operation(api, alice, bob, carol) -> None:
    conversation_id = message_send(sender=alice, recipient=bob, body="private").conversation_id
    outsider = api(carol)
    base = f"/api/v1/conversations/{conversation_id}"
    assert_error(outsider.get(f"{base}/messages"), 404)
    for path in ("messages", "accept", "decline", "read"):
        body = {"body": "let me in"} if path == "messages" else None
        assert_error(outsider.post(f"{base}/{path}", body), 404)
    assert Message.objects.count() == 1
    assert ConversationMember.objects.filter(user=carol).count() == 0


def test_conversation_with_someone_who_blocks_me_is_hidden(api, alice, bob) -> None:
    follow_create(follower=bob, followee=alice)
    conversation_id = message_send(sender=alice, recipient=bob, body="hi").conversation_id
    block_create(blocker=bob, blocked=alice)
    assert api(alice).get("/api/v1/conversations").json()["items"] == []
    assert_error(api(alice).get(f"/api/v1/conversations/{conversation_id}/messages"), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to": "bob"}, "body"),
        ({"to": "bob", "body": ""}, "body"),
        ({"to": "bob", "body": "  "}, "body"),
        ({"to": "bob", "body": "x" * 5001}, "body"),
        ({"to": "bob", "body": "a\x00b"}, "body"),
        ({"body": "hi"}, "to"),
        ({"to": "bob", "body": "hi", "subject": "x"}, "subject"),
    ],
)
def test_message_send_refuses_a_bad_body_and_stores_nothing(api, alice, bob, payload, field):
    assert field in fields(api(alice).post("/api/v1/conversations", payload))
    assert Message.objects.count() == 0


def test_message_send_to_nobody_or_oneself(api, alice) -> None:
    assert_error(send(api, alice, "ghost", "hi"), 404)
    assert_error(send(api, alice, "alice", "hi"), 403)
    assert Message.objects.count() == 0
