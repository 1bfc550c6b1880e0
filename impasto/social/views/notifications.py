"""The notifications page: grouped ("Mira and 3 others liked your post"), read once seen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impasto.social.selectors.graph import follow_requests_page
from impasto.social.selectors.notifications import notification_groups
from impasto.social.services.notifications import notifications_mark_read
from impasto.social.views._common import (
    cursor,
    friendly,
    is_htmx,
    member,
    member_required,
    next_page_url,
    viewer,
)


@never_cache
@member_required
@require_GET
@friendly
def notifications(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, newest group first; showing them marks them read.

    The page shows which groups were new (``unread`` is read before marking), then marks
    everything up to the newest notification shown as read, so the header badge clears.
    """
    v = viewer(request)
    before = cursor(request)
    page = notification_groups(v, before=before)
    if page.items:
        notifications_mark_read(user=member(request), up_to_id=max(g.latest_id for g in page.items))
    context: dict[str, Any] = {
        "groups": page.items,
        "next_url": next_page_url(request, page.next_cursor),
    }
    if is_htmx(request) and before is not None:
        return render(request, "social/_notification_items.html", context)
    context["has_requests"] = bool(follow_requests_page(v, limit=1).items)
    return render(request, "social/notifications.html", context)
