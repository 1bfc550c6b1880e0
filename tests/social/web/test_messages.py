"""Direct messages on the web: the inbox, requests, a conversation, a first message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.social.models import ConversationMember, Message
from impasto.social.services.graph import follow_create, social_settings_update
from impasto.social.services.messages import message_send
from tests.social.web.helpers import HTMX, main_of, parse, text_of

pytestmark = pytest.mark.django_db


def test_first_message_lands_in_the_requests_then_in_the_inbox_once_accepted(alice, bob, as_user):
    sender = as_user(bob)
    assert "Message Alice" in text_of(sender.get("/@alice/message"))
    response = sender.post("/@alice/message", {"body": "Hello **Alice**"})
    message = Message.objects.get()
    conversation_url = reverse("social:conversation", args=[message.conversation_id])
    assert response["Location"] == conversation_url
    # Writing again goes to the open conversation.
    assert sender.get("/@alice/message")["Location"] == conversation_url

    me = as_user(alice)
    assert "No messages yet" in main_of(me.get(reverse("social:inbox")))
    requests = main_of(me.get(reverse("social:message-requests")))
    assert "Bob" in requests
    assert "Hello **Alice**" in requests
    page = main_of(me.get(conversation_url))
    assert "wants to send you messages" in page
    assert "Hello <strong>Alice</strong>" in page
    accepted = me.post(
        reverse("social:conversation-accept", args=[message.conversation_id]), headers=HTMX
    )
    assert accepted.status_code == 200
    assert ConversationMember.objects.get(user=alice).status == "accepted"
    assert "Bob" in main_of(me.get(reverse("social:inbox")))


def test_declining_a_request_stops_the_sender(alice, bob, as_user):
    message = message_send(sender=bob, recipient=alice, body="Buy my course")
    me = as_user(alice)
    response = me.post(reverse("social:conversation-decline", args=[message.conversation_id]))
    assert response["Location"] == reverse("social:message-requests")
    assert me.get(reverse("social:conversation", args=[message.conversation_id])).status_code == 404
    refused = as_user(bob).post(
        reverse("social:message-send", args=[message.conversation_id]), {"body": "Please?"}
    )
    assert refused.status_code == 403
    assert "send messages to this person" in text_of(refused)
    assert Message.objects.count() == 1


def test_sending_with_htmx_appends_the_message_and_a_fresh_form(alice, bob, as_user):
    follow_create(follower=alice, followee=bob)
    message = message_send(sender=bob, recipient=alice, body="hi")
    url = reverse("social:message-send", args=[message.conversation_id])
    response = as_user(alice).post(url, {"body": "hello <b>back</b>"}, headers=HTMX)
    html = text_of(response)
    assert html.lstrip().startswith('<li class="chat__message chat__message--mine"')
    assert "hello &lt;b&gt;back&lt;/b&gt;" in html
    assert 'id="message-form"' in html
    assert 'hx-swap-oob="true"' in html
    assert Message.objects.count() == 2


def test_sending_an_empty_message_keeps_the_form_with_a_message(alice, bob, as_user):
    message = message_send(sender=bob, recipient=alice, body="hi")
    url = reverse("social:message-send", args=[message.conversation_id])
    htmx = as_user(alice).post(url, {"body": "   "}, headers=HTMX)
    assert htmx.status_code == 400
    assert htmx["HX-Retarget"] == "#message-form"
    assert "Write something first." in text_of(htmx)
    plain = as_user(alice).post(url, {"body": "x" * 5001})
    assert plain.status_code == 400
    assert "Keep it to 5000 characters (it has 5001)." in text_of(plain)
    assert Message.objects.count() == 1


def test_opening_a_conversation_marks_it_read_and_pages_back(alice, bob, as_user):
    follow_create(follower=alice, followee=bob)
    first = None
    for i in range(25):
        message = message_send(sender=bob, recipient=alice, body=f"line {i:02d}")
        first = first or message
    assert first is not None
    me = as_user(alice)
    url = reverse("social:conversation", args=[first.conversation_id])
    response = me.get(url)
    html = main_of(response)
    assert "line 24" in html
    assert "line 04" not in html
    assert html.index("line 05") < html.index("line 24")  # oldest at the top
    assert (
        ConversationMember.objects.get(user=alice).last_read_id == Message.objects.latest("id").pk
    )
    link = parse(response.content).find("a", hx_target="#chat-earlier")[0]
    earlier = me.get(link["href"], headers=HTMX)
    assert "line 00" in text_of(earlier)
    assert "line 05" not in text_of(earlier)


def test_policy_nobody_refuses_first_messages(alice, bob, as_user):
    social_settings_update(user=alice, message_policy="nobody")
    response = as_user(bob).post("/@alice/message", {"body": "hi"})
    assert response.status_code == 403
    assert "hi" in text_of(response)  # the text is kept in the form
    assert not Message.objects.exists()


def test_outsiders_cannot_read_or_write_in_a_conversation(alice, bob, carol, as_user):
    message = message_send(sender=bob, recipient=alice, body="private")
    outsider = as_user(carol)
    assert (
        outsider.get(reverse("social:conversation", args=[message.conversation_id])).status_code
        == 404
    )
    response = outsider.post(
        reverse("social:message-send", args=[message.conversation_id]), {"body": "intrude"}
    )
    assert response.status_code == 404
    for name in ("social:conversation-accept", "social:conversation-decline"):
        assert outsider.post(reverse(name, args=[message.conversation_id])).status_code == 404
    assert Message.objects.count() == 1
