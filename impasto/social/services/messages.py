"""Direct messages: who may write to whom, message requests, reading.

The recipient decides (``SocialSettings.message_policy``): everyone, people they follow, or
nobody. A message from someone the recipient does not follow lands in their *requests* until
they accept; once accepted (or once they write back) the conversation is in both inboxes. A
block either way stops messages and hides the conversation from both.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.core.text import render_markdown
from impasto.social.models import Block, Conversation, ConversationMember, Message
from impasto.social.models.messages import MESSAGE_MAX_LENGTH
from impasto.social.selectors.messages import first_message_landing
from impasto.social.text import clean_text

Status = ConversationMember.Status


def _cannot_message() -> PermissionDenied:
    # One message for "blocked", "nobody" and "not accepted": the sender learns nothing more.
    return PermissionDenied(_("You can't send messages to this person."))


def _conversation_for(a: User, b: User) -> Conversation:
    low, high = sorted((a.pk, b.pk))
    try:
        with transaction.atomic():
            conversation, _created = Conversation.objects.get_or_create(
                user_low_id=low, user_high_id=high
            )
    except IntegrityError:
        conversation = Conversation.objects.get(user_low_id=low, user_high_id=high)
    return conversation


@transaction.atomic
def message_send(*, sender: User, recipient: User, body: str) -> Message:
    """Send ``body`` to ``recipient``, starting the conversation if needed.

    ``PermissionDenied`` when a block stands between them, the recipient's setting refuses
    the sender, or the recipient declined the sender's request; ``ValidationError`` for an
    empty or too long message. Nothing is stored when a check fails.
    """
    if sender.pk == recipient.pk:
        raise PermissionDenied(_("You can't send a message to yourself."))
    if not recipient.is_public:
        raise Http404("No such person.")
    if Block.objects.filter(
        Q(blocker=sender, blocked=recipient) | Q(blocker=recipient, blocked=sender)
    ).exists():
        raise _cannot_message()
    text = clean_text(body, max_length=MESSAGE_MAX_LENGTH, label=_("The message"))
    if not text:
        raise ValidationError(_("Write a message first."), code="empty_message")

    conversation = _conversation_for(sender, recipient)
    # One writer at a time per conversation: two first messages racing must not both create
    # the recipient's side (and the second must see the first's).
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    members = {
        m.user_id: m
        for m in ConversationMember.objects.select_for_update().filter(conversation=conversation)
    }
    theirs = members.get(recipient.pk)
    if theirs is None or theirs.status == Status.DECLINED:
        if theirs is not None:
            raise _cannot_message()
        status = first_message_landing(sender=sender, recipient=recipient)
        if status is None:
            raise _cannot_message()
        theirs = ConversationMember.objects.create(
            conversation=conversation, user=recipient, status=status
        )
    mine = members.get(sender.pk)
    if mine is None:
        mine = ConversationMember.objects.create(
            conversation=conversation, user=sender, status=Status.ACCEPTED
        )
    elif mine.status != Status.ACCEPTED:
        # Writing back accepts a request (and undoes one's own decline).
        mine.status = Status.ACCEPTED
        mine.save(update_fields=["status"])

    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        body=text,
        body_html=str(render_markdown(text)),
    )
    Conversation.objects.filter(pk=conversation.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk
    )
    ConversationMember.objects.filter(
        conversation=conversation, last_message_id__lt=message.pk
    ).update(last_message_id=message.pk)
    # Sending means having read everything before it.
    ConversationMember.objects.filter(pk=mine.pk, last_read_id__lt=message.pk).update(
        last_read_id=message.pk
    )
    return message


def _membership(user: User, conversation_id: int) -> ConversationMember:
    member = (
        ConversationMember.objects.select_for_update()
        .select_related("conversation")
        .filter(conversation_id=conversation_id, user=user)
        .first()
    )
    if member is None:
        raise Http404("No such conversation.")
    other = member.conversation.other_id(user.pk)
    if Block.objects.filter(
        Q(blocker=user, blocked_id=other) | Q(blocker_id=other, blocked=user)
    ).exists():
        raise Http404("No such conversation.")
    return member


@transaction.atomic
def message_reply(*, sender: User, conversation_id: int, body: str) -> Message:
    """Send a message in a conversation one is part of."""
    member = _membership(sender, conversation_id)
    other = User.objects.get(pk=member.conversation.other_id(sender.pk))
    return message_send(sender=sender, recipient=other, body=body)


@transaction.atomic
def conversation_accept(*, user: User, conversation_id: int) -> ConversationMember:
    """Move a message request to the inbox."""
    member = _membership(user, conversation_id)
    if member.status != Status.ACCEPTED:
        member.status = Status.ACCEPTED
        member.save(update_fields=["status"])
    return member


@transaction.atomic
def conversation_decline(*, user: User, conversation_id: int) -> ConversationMember:
    """Decline a request (or leave a conversation): it leaves the lists, and the other person
    can no longer write until one writes back."""
    member = _membership(user, conversation_id)
    member.status = Status.DECLINED
    member.save(update_fields=["status"])
    return member


@transaction.atomic
def conversation_mark_read(
    *, user: User, conversation_id: int, up_to_id: int | None = None
) -> None:
    """Mark the conversation read (up to a message id, or to its latest message)."""
    member = _membership(user, conversation_id)
    latest = member.conversation.last_message_id
    target = latest if up_to_id is None else min(up_to_id, latest)
    ConversationMember.objects.filter(pk=member.pk, last_read_id__lt=target).update(
        last_read_id=target
    )
