"""Direct messages as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from impasto.accounts.models import User
from impasto.api.schemas.common import SnowflakeId, SnowflakeIdIn, Text
from impasto.api.schemas.social import AuthorOut, SocialPageParams, author_out
from impasto.social.models import ConversationMember, Message
from impasto.social.models.messages import MESSAGE_MAX_LENGTH
from impasto.social.selectors.messages import ConversationItem

Folder = Literal["inbox", "requests"]
FOLDERS: dict[str, Folder] = {
    ConversationMember.Status.ACCEPTED: "inbox",
    ConversationMember.Status.REQUEST: "requests",
}


class MessageOut(Schema):
    id: SnowflakeId
    conversation_id: SnowflakeId
    sender: AuthorOut
    body_html: str = Field(description="The message, rendered and sanitised: show it as is.")
    created_at: datetime


def message_out(message: Message, sender: User | None = None) -> dict[str, Any]:
    """``message`` (its sender's profile loaded, or the sender given) as :class:`MessageOut`."""
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "sender": author_out(sender or message.sender),
        "body_html": message.body_html,
        "created_at": message.created_at,
    }


class ConversationOut(Schema):
    id: SnowflakeId
    other: AuthorOut = Field(description="The person you are talking with.")
    folder: Folder = Field(description='"requests": they wrote first and you have not accepted.')
    unread: int = Field(description="Messages from them you have not read.")
    last_message: MessageOut | None


def conversation_out(item: ConversationItem, me: User) -> dict[str, Any]:
    last = item.last_message
    sender = None
    if last is not None:
        sender = me if last.sender_id == me.pk else item.other
    return {
        "id": item.conversation.pk,
        "other": author_out(item.other),
        "folder": FOLDERS.get(item.status, "inbox"),
        "unread": item.unread,
        "last_message": message_out(last, sender) if last is not None else None,
    }


class ConversationsParams(SocialPageParams):
    folder: Folder = Field(
        default="inbox", description="Your inbox, or the message requests waiting for you."
    )


class MessageBody(Schema):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[Text, Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)] = Field(
        description="Light markdown."
    )


class MessageSendIn(MessageBody):
    to: Annotated[Text, Field(min_length=1, max_length=31)] = Field(
        description="The handle of the person to write to (@ optional)."
    )


class ConversationReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    up_to: SnowflakeIdIn | None = Field(
        default=None, description="Mark read up to this message; left out or null: all."
    )


class MessagesUnreadOut(Schema):
    conversations: int = Field(description="Inbox conversations with unread messages (to 100).")
    requests: int = Field(description="Message requests waiting (to 100).")
