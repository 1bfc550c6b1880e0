"""Reading direct messages: the inbox, the requests, a conversation, the unread counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from impasto.accounts.models import User
from impasto.social.models import Conversation, ConversationMember, Follow, Message, SocialSettings
from impasto.social.models.settings import MessagePolicy
from impasto.social.pagination import Page, clamp_limit, page_from
from impasto.social.selectors.relations import social_settings_of
from impasto.social.visibility import Viewer

Status = ConversationMember.Status
UNREAD_CAP = 100


def _memberships(viewer: Viewer, status: str) -> QuerySet[ConversationMember]:
    """The reader's side of conversations in one folder, without anyone blocked either way."""
    if viewer.id is None:
        return ConversationMember.objects.none()
    qs = ConversationMember.objects.filter(user_id=viewer.id, status=status).filter(
        conversation__user_low__is_active=True,
        conversation__user_high__is_active=True,
        conversation__user_low__deletion_scheduled_at__isnull=True,
        conversation__user_high__deletion_scheduled_at__isnull=True,
    )
    if viewer.hidden_ids:
        qs = qs.exclude(
            Q(conversation__user_low_id__anyof=viewer.hidden_ids)
            | Q(conversation__user_high_id__anyof=viewer.hidden_ids)
        )
    return qs


@dataclass
class ConversationItem:
    conversation: Conversation
    other: User
    last_message: Message | None
    unread: int
    status: str


def conversations_page(
    viewer: Viewer,
    *,
    requests: bool = False,
    before: int | None = None,
    limit: int | None = None,
) -> Page[ConversationItem]:
    """The inbox (or, with ``requests``, the message requests), latest activity first.

    Keyset-paged on the last message id; three queries whatever the page size.
    """
    if viewer.id is None:
        return Page()
    size = clamp_limit(limit)
    unread = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("last_read_id")
        )
        .exclude(sender_id=viewer.id)
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = _memberships(viewer, Status.REQUEST if requests else Status.ACCEPTED).filter(
        last_message_id__gt=0
    )
    if before is not None:
        qs = qs.filter(last_message_id__lt=before)
    rows = list(
        qs.select_related("conversation__user_low__profile", "conversation__user_high__profile")
        .annotate(unread=Coalesce(Subquery(unread), 0))
        .order_by("-last_message_id")[: size + 1]
    )
    items, cursor = page_from(rows, limit=size, key=lambda m: m.last_message_id)
    last = Message.objects.in_bulk([m.last_message_id for m in items])
    return Page(
        [
            ConversationItem(
                conversation=m.conversation,
                other=(
                    m.conversation.user_high
                    if m.conversation.user_low_id == viewer.id
                    else m.conversation.user_low
                ),
                last_message=last.get(m.last_message_id),
                unread=getattr(m, "unread", 0),
                status=m.status,
            )
            for m in items
        ],
        cursor,
    )


def conversation_get_for_viewer(viewer: Viewer, conversation_id: int) -> ConversationMember:
    """The reader's side of a conversation; ``Http404`` if not theirs, declined or blocked."""
    if viewer.id is None:
        raise Http404("No such conversation.")
    member = (
        _memberships_any(viewer)
        .filter(conversation_id=conversation_id)
        .select_related("conversation__user_low__profile", "conversation__user_high__profile")
        .first()
    )
    if member is None:
        raise Http404("No such conversation.")
    return member


def conversation_other(member: ConversationMember) -> User:
    """The other person of a conversation (loaded by :func:`conversation_get_for_viewer`)."""
    conversation = member.conversation
    return (
        conversation.user_high
        if conversation.user_low_id == member.user_id
        else conversation.user_low
    )


def conversation_id_with(viewer: Viewer, other: User) -> int | None:
    """The conversation the reader has open with ``other`` (inbox or requests), if any."""
    if viewer.id is None or other.pk == viewer.id:
        return None
    low, high = sorted((viewer.id, other.pk))
    return (
        _memberships_any(viewer)
        .filter(conversation__user_low_id=low, conversation__user_high_id=high)
        .values_list("conversation_id", flat=True)
        .first()
    )


def _memberships_any(viewer: Viewer) -> QuerySet[ConversationMember]:
    return _memberships(viewer, Status.ACCEPTED) | _memberships(viewer, Status.REQUEST)


def messages_page(
    viewer: Viewer, conversation_id: int, *, before: int | None = None, limit: int | None = None
) -> Page[Message]:
    """Messages of a conversation, newest first; ``Http404`` for someone who may not read it."""
    conversation_get_for_viewer(viewer, conversation_id)
    size = clamp_limit(limit)
    qs = Message.objects.filter(conversation_id=conversation_id)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.select_related("sender__profile").order_by("-id")[: size + 1])
    items, cursor = page_from(rows, limit=size, key=lambda m: m.pk)
    return Page(items, cursor)


def first_message_landing(
    *,
    sender: User,
    recipient: User,
    recipient_settings: SocialSettings | None = None,
    recipient_follows_sender: bool | None = None,
) -> str | None:
    """Where a first message from ``sender`` lands for ``recipient`` under the recipient's policy:
    their inbox (``accepted``), their requests (``request``), or nowhere (None: refused).

    The one rule behind :func:`impasto.social.services.messages.message_send` and the profile's
    "Message" button. Blocks and an existing conversation are the callers' business. Pass what
    the caller already knows (the settings row, whether the recipient follows the sender) to
    save the queries.
    """
    policy = (recipient_settings or social_settings_of(recipient)).message_policy
    if policy == MessagePolicy.NOBODY:
        return None
    if recipient_follows_sender is None:
        recipient_follows_sender = Follow.objects.filter(
            follower=recipient, followee=sender, state=Follow.State.ACCEPTED
        ).exists()
    if recipient_follows_sender:
        return Status.ACCEPTED
    if policy == MessagePolicy.FOLLOWING:
        return None
    return Status.REQUEST


def can_message(
    viewer: Viewer,
    recipient: User,
    *,
    recipient_settings: SocialSettings | None = None,
    recipient_follows_viewer: bool | None = None,
) -> bool:
    """Whether ``message_send(sender=viewer.user, recipient=recipient)`` would be accepted.

    For showing the "Message" button: the same checks as the service, read-only. A
    conversation the recipient is already part of goes on (unless they declined it); otherwise
    the recipient's policy decides (:func:`first_message_landing`).
    """
    if viewer.user is None or viewer.user.pk == recipient.pk or not recipient.is_public:
        return False
    if recipient.pk in viewer.hidden_ids:
        return False
    low, high = sorted((viewer.user.pk, recipient.pk))
    theirs = (
        ConversationMember.objects.filter(
            conversation__user_low_id=low, conversation__user_high_id=high, user=recipient
        )
        .values_list("status", flat=True)
        .first()
    )
    if theirs is not None:
        return theirs != Status.DECLINED
    return (
        first_message_landing(
            sender=viewer.user,
            recipient=recipient,
            recipient_settings=recipient_settings,
            recipient_follows_sender=recipient_follows_viewer,
        )
        is not None
    )


@dataclass(frozen=True)
class UnreadMessages:
    conversations: int  # inbox conversations with something unread (capped)
    requests: int  # message requests waiting (capped)


def unread_conversations(viewer: Viewer) -> QuerySet[ConversationMember]:
    """Inbox conversations with a message the reader has not read."""
    return _memberships(viewer, Status.ACCEPTED).filter(last_message_id__gt=F("last_read_id"))


def waiting_requests(viewer: Viewer) -> QuerySet[ConversationMember]:
    """Message requests waiting for the reader's answer."""
    return _memberships(viewer, Status.REQUEST).filter(last_message_id__gt=0)


def messages_unread_counts(viewer: Viewer) -> UnreadMessages:
    """The two badges of the messages menu, two small queries."""
    if viewer.id is None:
        return UnreadMessages(0, 0)
    inbox = unread_conversations(viewer)[:UNREAD_CAP].count()
    requests = waiting_requests(viewer)[:UNREAD_CAP].count()
    return UnreadMessages(inbox, requests)
