"""Feed pages: Following, Latest, the new-posts indicator, inline filters, feed settings.

Thin: parse the request, call one selector or service, render. Every list page is a real page
with an "Older" link (``?before=<id>``); with htmx the link loads the next page when it scrolls
into view (and on click), and the answer is only the next items and the next link.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts.models import User
from impasto.core.htmx import toast
from impasto.feeds.filters import FeedFilters
from impasto.feeds.forms import FeedPreferencesForm, InlineFiltersForm
from impasto.feeds.models import FeedPreferences, MatureMode
from impasto.feeds.selectors import (
    NEW_COUNT_CAP,
    FeedItem,
    feed_filters_of,
    feed_following,
    feed_latest,
    feed_new_count,
    feed_preferences_of,
)
from impasto.feeds.services import feed_preferences_update
from impasto.social.pagination import Page
from impasto.social.selectors.relations import viewer_from_request

FEED_URLS = {"following": "feeds:following", "latest": "feeds:latest"}


class _BadLink(Exception):
    pass


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def _member(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _to_login(request: HttpRequest) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(request.get_full_path())["Location"]
        return response
    return redirect_to_login(request.get_full_path())


def _cursor(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 19 or int(raw) >= 2**63:
        raise _BadLink
    return int(raw)


def _bad_link(request: HttpRequest) -> HttpResponse:
    message = _("This page link is broken: the list position is not a number.")
    if _is_htmx(request):
        return toast(HttpResponse(status=400), message, level="error")
    return render(request, "social/problem.html", {"message": message}, status=400)


def _older_url(request: HttpRequest, cursor: int | None) -> str:
    if cursor is None:
        return ""
    query: QueryDict = request.GET.copy()
    query["before"] = str(cursor)
    return f"{request.path}?{query.urlencode()}"


def _feed_page(
    request: HttpRequest,
    *,
    feed: str,
    page: Page[FeedItem],
    filters: FeedFilters,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "feed": feed,
        "items": page.items,
        "next_url": _older_url(request, page.next_cursor),
        "cw_open": filters.mature == MatureMode.SHOW,
        "filters": filters,
        **(extra or {}),
    }
    if _is_htmx(request) and request.GET.get("before"):
        return render(request, "feeds/_feed_items.html", context)
    first_page = not request.GET.get("before")
    newest = page.items[0].view.post.pk if page.items and first_page else None
    context.update(
        {
            "newest_id": newest,
            "is_older_page": not first_page,
            "feed_url": reverse(FEED_URLS.get(feed, "feeds:latest")),
            "inline_form": InlineFiltersForm(
                initial={
                    "kind": filters.kind,
                    "hide_reposts": filters.hide_reposts,
                    "mature": filters.mature,
                }
            )
            if _member(request)
            else None,
        }
    )
    template = "feeds/_feed_body.html" if _is_htmx(request) else "feeds/feed.html"
    return render(request, template, context)


@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """The reader's Following feed: the people they follow, newest first, with reposts."""
    user = _member(request)
    if user is None:
        return _to_login(request)
    try:
        before = _cursor(request, "before")
    except _BadLink:
        return _bad_link(request)
    filters = feed_filters_of(user)
    page = feed_following(viewer_from_request(request), filters=filters, before=before)
    return _feed_page(request, feed="following", page=page, filters=filters)


@require_GET
def latest(request: HttpRequest) -> HttpResponse:
    """Every public post on the site, newest first (visitors see it too)."""
    try:
        before = _cursor(request, "before")
    except _BadLink:
        return _bad_link(request)
    filters = feed_filters_of(_member(request))
    page = feed_latest(viewer_from_request(request), filters=filters, before=before)
    return _feed_page(request, feed="latest", page=page, filters=filters)


@require_GET
def new_count(request: HttpRequest, feed: str) -> HttpResponse:
    """The new-posts indicator (polled): how many posts arrived above ``after``."""
    if feed not in FEED_URLS:
        raise Http404("No such feed.")
    user = _member(request)
    if feed == "following" and user is None:
        return _to_login(request)
    try:
        after = _cursor(request, "after") or 0
    except _BadLink:
        return _bad_link(request)
    count = feed_new_count(
        viewer_from_request(request), feed=feed, after=after, filters=feed_filters_of(user)
    )
    return render(
        request,
        "feeds/_new_posts.html",
        {
            "feed": feed,
            "newest_id": after,
            "new_count": count,
            "new_more": count > NEW_COUNT_CAP,
            "feed_url": reverse(FEED_URLS[feed]),
        },
    )


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_POST
def filters_update(request: HttpRequest) -> HttpResponse:
    """The feed page's filter bar: save the choice, then show the feed filtered by it."""
    user = _member(request)
    if user is None:
        return _to_login(request)
    form = InlineFiltersForm(request.POST)
    feed = request.POST.get("feed", "following")
    if feed not in FEED_URLS:
        feed = "following"
    back = _safe_next(request, reverse(FEED_URLS[feed]))
    if not form.is_valid():
        message = _("Choose from the options shown.")
        if _is_htmx(request):
            return toast(HttpResponse(status=400), message, level="error")
        messages.error(request, message)
        return redirect(back)
    feed_preferences_update(user=user, **form.cleaned_data)
    if not _is_htmx(request):
        messages.success(request, _("Your feed filters are saved."))
        return redirect(back)
    # htmx: the feed again, first page, with the new filters (the bar stays where it is).
    filters = feed_filters_of(user)
    viewer = viewer_from_request(request)
    page = (
        feed_following(viewer, filters=filters)
        if feed == "following"
        else feed_latest(viewer, filters=filters)
    )
    request.GET = QueryDict()
    response = _feed_page(request, feed=feed, page=page, filters=filters)
    return toast(response, _("Your feed filters are saved."))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The feed settings page: filters set once for every feed."""
    user = _member(request)
    if user is None:
        return _to_login(request)
    if request.method == "POST":
        form = FeedPreferencesForm(request.POST)
        if form.is_valid():
            try:
                feed_preferences_update(user=user, **form.preferences())
            except ValidationError as error:
                form.add_error(None, " ".join(str(m) for m in error.messages))
            else:
                messages.success(request, _("Your feed settings are saved."))
                return redirect("feeds:settings")
        return render(request, "feeds/settings.html", {"form": form}, status=400)
    prefs = feed_preferences_of(user) or FeedPreferences(user=user)
    form = FeedPreferencesForm(initial=FeedPreferencesForm.initial_from(prefs))
    return render(request, "feeds/settings.html", {"form": form})
