"""Direct messages: /api/v1/conversations.

Only ever your own conversations: another conversation's id is a 404, as is one with someone
who blocks you or whom you block.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from impasto.api.auth import current_user
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.messages import (
    ConversationOut,
    ConversationReadIn,
    ConversationsParams,
    MessageBody,
    MessageOut,
    MessageSendIn,
    MessagesUnreadOut,
    conversation_out,
    message_out,
)
from impasto.api.schemas.social import SocialPage, SocialPageParams
from impasto.api.social import page_out, person_or_404, viewer_of
from impasto.social.models import Message
from impasto.social.selectors import messages as selectors
from impasto.social.services import messages as services

router = Router(tags=["messages"])


def _invalid(error: ValidationError) -> ApiError:
    return ApiError(
        _("Some values are not valid."),
        errors=field_errors(error, fields_by_code={"empty_message": "body"}),
        status=422,
    )


def _sent(request: HttpRequest, message: Message) -> Status[dict[str, Any]]:
    return Status(201, message_out(message, current_user(request)))


@router.get(
    "",
    response={200: SocialPage[ConversationOut], **error_responses(401, 422)},
    summary="Your conversations",
)
def conversations_list(request: HttpRequest, params: Query[ConversationsParams]) -> dict[str, Any]:
    """Latest activity first (the cursor is the last message's id). `folder=requests` lists
    messages from people you do not follow, waiting for you to accept or decline."""
    me = current_user(request)
    page = selectors.conversations_page(
        viewer_of(request),
        requests=params.folder == "requests",
        before=params.before,
        limit=params.limit,
    )
    return page_out(page, lambda item: conversation_out(item, me))


@router.post(
    "",
    response={201: MessageOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Send a message to a person",
)
def message_send(request: HttpRequest, payload: MessageSendIn) -> Status[dict[str, Any]]:
    """Starts the conversation, or continues it. 403 when they do not take messages from you
    (their setting, a declined request, or a block: the answer does not say which)."""
    recipient = person_or_404(payload.to)
    try:
        message = services.message_send(
            sender=current_user(request), recipient=recipient, body=payload.body
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _sent(request, message)


@router.get(
    "/unread-count",
    response={200: MessagesUnreadOut, **error_responses(401)},
    summary="Unread conversations and waiting requests",
)
def messages_unread_count_get(request: HttpRequest) -> MessagesUnreadOut:
    counts = selectors.messages_unread_counts(viewer_of(request))
    return MessagesUnreadOut(conversations=counts.conversations, requests=counts.requests)


@router.get(
    "/{conversation_id}/messages",
    response={200: SocialPage[MessageOut], **error_responses(401, 404, 422)},
    summary="The messages of a conversation",
)
def messages_list(
    request: HttpRequest, conversation_id: SnowflakeId, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Newest first. Reading does not mark them read: `POST .../read` does."""
    page = selectors.messages_page(
        viewer_of(request), conversation_id, before=params.before, limit=params.limit
    )
    return page_out(page, message_out)


@router.post(
    "/{conversation_id}/messages",
    response={201: MessageOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Write in a conversation",
)
def message_reply(
    request: HttpRequest, conversation_id: SnowflakeId, payload: MessageBody
) -> Status[dict[str, Any]]:
    """Writing back to a request accepts it."""
    try:
        message = services.message_reply(
            sender=current_user(request), conversation_id=conversation_id, body=payload.body
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _sent(request, message)


@router.post(
    "/{conversation_id}/accept",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Accept a message request",
)
def conversation_accept(request: HttpRequest, conversation_id: SnowflakeId) -> Status[None]:
    """It moves to your inbox."""
    services.conversation_accept(user=current_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.post(
    "/{conversation_id}/decline",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Decline a message request (or leave a conversation)",
)
def conversation_decline(request: HttpRequest, conversation_id: SnowflakeId) -> Status[None]:
    """It leaves your lists, and they cannot write to you again until you write to them."""
    services.conversation_decline(user=current_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.post(
    "/{conversation_id}/read",
    response={204: None, **error_responses(400, 401, 403, 404, 422)},
    summary="Mark a conversation read",
)
def conversation_read(
    request: HttpRequest, conversation_id: SnowflakeId, payload: ConversationReadIn
) -> Status[None]:
    services.conversation_mark_read(
        user=current_user(request), conversation_id=conversation_id, up_to_id=payload.up_to
    )
    return Status(204, None)
