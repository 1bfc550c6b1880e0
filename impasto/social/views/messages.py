"""Direct messages: the inbox, the requests, a conversation, writing a first message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.social.context_processors import request_badges
from impasto.social.forms import MessageForm
from impasto.social.models import ConversationMember, Message
from impasto.social.selectors.messages import (
    can_message,
    conversation_get_for_viewer,
    conversation_id_with,
    conversation_other,
    conversations_page,
    messages_page,
)
from impasto.social.selectors.posts import author_visible_or_404
from impasto.social.services import messages as message_services
from impasto.social.views._common import (
    cursor,
    done,
    form_invalid,
    friendly,
    is_htmx,
    member,
    member_required,
    next_page_url,
    person_or_404,
    validation_message,
    viewer,
)


def _conversation_url(conversation_id: int) -> str:
    return reverse("social:conversation", kwargs={"conversation_id": conversation_id})


@never_cache
@member_required
@require_GET
@friendly
def inbox(request: HttpRequest, requests: bool = False) -> HttpResponse:
    """Conversations, latest activity first; ``requests``: messages from people one does not
    follow, waiting for an answer."""
    v = viewer(request)
    before = cursor(request)
    page = conversations_page(v, requests=requests, before=before)
    context: dict[str, Any] = {
        "items": page.items,
        "next_url": next_page_url(request, page.next_cursor),
        "requests": requests,
    }
    if is_htmx(request) and before is not None:
        return render(request, "social/_conversation_items.html", context)
    context["badges"] = request_badges(request)  # the header shows the same counts
    return render(request, "social/inbox.html", context)


@never_cache
@member_required
@require_GET
@friendly
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """A conversation, oldest message at the top; opening it marks it read."""
    v = viewer(request)
    me = conversation_get_for_viewer(v, conversation_id)
    before = cursor(request)
    page = messages_page(v, conversation_id, before=before)
    shown = list(reversed(page.items))
    if shown and before is None:
        message_services.conversation_mark_read(
            user=member(request), conversation_id=conversation_id, up_to_id=shown[-1].pk
        )
    context: dict[str, Any] = {
        "member": me,
        "conversation": me.conversation,
        "other": conversation_other(me),
        "chat": shown,
        "earlier_url": next_page_url(request, page.next_cursor),
    }
    if is_htmx(request) and before is not None:
        return render(request, "social/_message_items.html", context)
    context["form"] = MessageForm()
    return render(request, "social/conversation.html", context)


@member_required
@require_POST
@friendly
def message_send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Write in a conversation. htmx appends the message and clears the form."""
    v = viewer(request)
    me = conversation_get_for_viewer(v, conversation_id)
    form = MessageForm(request.POST)
    context: dict[str, Any] = {
        "member": me,
        "conversation": me.conversation,
        "other": conversation_other(me),
        "form": form,
    }
    status = 400
    if form.is_valid():
        try:
            message = message_services.message_reply(
                sender=member(request),
                conversation_id=conversation_id,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, validation_message(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            return _sent(request, message)
    context["chat"] = list(reversed(messages_page(v, conversation_id).items))
    return form_invalid(
        request,
        "social/conversation.html",
        context,
        partial="social/_message_form.html",
        status=status,
        retarget="#message-form",
    )


def _sent(request: HttpRequest, message: Message) -> HttpResponse:
    url = _conversation_url(message.conversation_id)
    if is_htmx(request):
        return done(
            request,
            "",
            back=url,
            partial="social/_message_sent.html",
            context={
                "message": message,
                "form": MessageForm(),
                "conversation": message.conversation,
            },
        )
    return redirect(f"{url}#m{message.pk}")


@member_required
@require_http_methods(["GET", "POST"])
@friendly
def message_new(request: HttpRequest, handle: str) -> HttpResponse:
    """Write to someone: their conversation if one is open, else a first message."""
    v = viewer(request)
    person = person_or_404(handle)
    author_visible_or_404(v, person)
    if person.pk == member(request).pk:
        raise Http404("No conversation with oneself.")
    existing = conversation_id_with(v, person)
    if existing is not None:
        return redirect(_conversation_url(existing))
    form = MessageForm(request.POST or None)
    context: dict[str, Any] = {"person": person, "form": form}
    if request.method != "POST":
        if not can_message(v, person):
            context["refused"] = True
        return render(request, "social/message_new.html", context)
    status = 400
    if form.is_valid():
        try:
            message = message_services.message_send(
                sender=member(request), recipient=person, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, validation_message(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            return done(
                request, _("Message sent."), back=_conversation_url(message.conversation_id)
            )
    return form_invalid(request, "social/message_new.html", context, status=status)


@member_required
@require_POST
@friendly
def conversation_accept(request: HttpRequest, conversation_id: int) -> HttpResponse:
    message_services.conversation_accept(user=member(request), conversation_id=conversation_id)
    return done(
        request,
        _("Accepted: the conversation is in your inbox."),
        back=_conversation_url(conversation_id),
        partial=None,
    )


@member_required
@require_POST
@friendly
def conversation_decline(request: HttpRequest, conversation_id: int) -> HttpResponse:
    member_row: ConversationMember = message_services.conversation_decline(
        user=member(request), conversation_id=conversation_id
    )
    assert member_row.status == ConversationMember.Status.DECLINED
    return done(
        request,
        _("Declined. They cannot write to you again unless you write to them."),
        back=reverse("social:message-requests"),
    )
