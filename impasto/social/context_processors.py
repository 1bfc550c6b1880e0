"""The header's links with their unread badges (base.html renders ``header_links``).

Lazy: pages that never render the header (htmx partials, JSON) pay nothing; anonymous visitors
pay nothing either. A member's page pays one query for the three counts
(:func:`impasto.social.selectors.badges.badges_of`), plus the request's Viewer when the page's
own selectors did not already load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from impasto.social.selectors.badges import CAP, Badges, badges_of
from impasto.social.selectors.relations import viewer_from_request

BADGES_ATTRIBUTE = "_social_badges"


@dataclass(frozen=True)
class HeaderLink:
    key: str
    url: str
    label: str | Promise
    icon: str
    count: int = 0
    current: bool = False

    @property
    def count_text(self) -> str:
        return f"{CAP - 1}+" if self.count >= CAP else str(self.count)

    @property
    def count_label(self) -> str:
        """What a screen reader hears after the link's name: "3 unread"."""
        if self.count >= CAP:
            return ngettext("more than %(count)d unread", "more than %(count)d unread", CAP - 1) % {
                "count": CAP - 1
            }
        return ngettext("%(count)d unread", "%(count)d unread", self.count) % {"count": self.count}


def request_badges(request: HttpRequest) -> Badges:
    """The reader's badges, counted once per request (a page showing them too reuses them)."""
    badges = getattr(request, BADGES_ATTRIBUTE, None)
    if badges is None:
        badges = badges_of(viewer_from_request(request))
        setattr(request, BADGES_ATTRIBUTE, badges)
    return badges


def _links(request: HttpRequest) -> list[HeaderLink]:
    if not request.user.is_authenticated:
        return []
    try:
        compose = reverse("social:post-create")
        inbox = reverse("social:inbox")
        notifications = reverse("social:notifications")
    except NoReverseMatch:
        # A URLconf without the social pages (some tests, a trimmed deployment): no links,
        # and no query for counts nobody could open.
        return []
    badges = request_badges(request)
    path = request.path
    return [
        HeaderLink("compose", compose, _("New post"), "plus"),
        HeaderLink(
            "messages",
            inbox,
            _("Messages"),
            "message",
            badges.messages_total,
            path.startswith(inbox),
        ),
        HeaderLink(
            "notifications",
            notifications,
            _("Notifications"),
            "bell",
            badges.notifications,
            path == notifications,
        ),
    ]


def header(request: HttpRequest) -> dict[str, Any]:
    return {"header_links": SimpleLazyObject(lambda: _links(request))}
