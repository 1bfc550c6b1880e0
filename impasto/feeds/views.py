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
from impasto.core import navigation
from impasto.core.htmx import toast
from impasto.core.vocab import Discipline
from impasto.feeds.filters import FeedFilters
from impasto.feeds.forms import FeedPreferencesForm, InlineFiltersForm, TagFollowForm
from impasto.feeds.foryou import ForYouPage, feed_for_you, parse_cursor
from impasto.feeds.models import FeedPreferences, MatureMode
from impasto.feeds.selectors import (
    NEW_COUNT_CAP,
    FeedItem,
    feed_discover,
    feed_filters_of,
    feed_following,
    feed_latest,
    feed_new_count,
    feed_preferences_of,
    followed_tags_of,
    member_has_posted,
)
from impasto.feeds.services import feed_preferences_update, tag_follow, tag_unfollow
from impasto.social.pagination import Page
from impasto.social.selectors.relations import viewer_from_request

FEED_URLS = {
    "following": "feeds:following",
    "latest": "feeds:latest",
    "for-you": "feeds:for-you",
    "discover": "feeds:discover",
}
POLLED = ("following", "latest")  # the chronological feeds have a new-posts indicator


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


def _older_url(
    request: HttpRequest, cursor: int | str | None, name: str = "before", path: str = ""
) -> str:
    if cursor is None:
        return ""
    query: QueryDict = request.GET.copy()
    query[name] = str(cursor)
    return f"{path or request.path}?{query.urlencode()}"


def _is_next_page(request: HttpRequest) -> bool:
    return bool(request.GET.get("before") or request.GET.get("cursor"))


def _feed_page(
    request: HttpRequest,
    *,
    feed: str,
    page: Page[FeedItem] | ForYouPage,
    filters: FeedFilters,
    extra: dict[str, Any] | None = None,
    path: str = "",
    feed_url: str = "",
) -> HttpResponse:
    """Render a feed: the page, the list alone for htmx, or the next items for "Older".

    ``path`` is the feed's own address when the request came to another one (the filter
    bar's POST), so the Older link leads on from the feed, not from the form's URL.
    ``feed_url`` is where the filter bar and the new-posts link lead back to (``/`` when the
    member's home shows the feed), by default the feed's own page.
    """
    cursor_name = "cursor" if isinstance(page, ForYouPage) else "before"
    context: dict[str, Any] = {
        "feed": feed,
        "items": page.items,
        "next_url": _older_url(request, page.next_cursor, cursor_name, path),
        "cw_open": filters.mature == MatureMode.SHOW,
        "filters": filters,
        **(extra or {}),
    }
    if _is_htmx(request) and _is_next_page(request):
        return render(request, "feeds/_feed_items.html", context)
    first_page = not _is_next_page(request)
    polled = feed in POLLED and first_page
    newest = page.items[0].view.post.pk if page.items and polled else None
    context.update(
        {
            "newest_id": newest,
            "feed_url": feed_url
            or (request.path if feed == "discover" else reverse(FEED_URLS[feed])),
            "polled": polled,
            "inline_form": InlineFiltersForm(
                initial={
                    "kind": filters.kind,
                    "hide_reposts": filters.hide_reposts,
                    "mature": filters.mature,
                    "network_mix": filters.network_mix,
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
    return _following(request, user)


def home(request: HttpRequest) -> HttpResponse:
    """A member's ``/`` (registered with impasto.core.home): the Following feed, with the
    first steps as a compact card above it while the member is new or the feed is empty."""
    user = _member(request)
    if user is None:  # core serves visitors its landing page before asking us
        return _to_login(request)
    return _following(request, user, home=True)


def _following(request: HttpRequest, user: User, *, home: bool = False) -> HttpResponse:
    try:
        before = _cursor(request, "before")
    except _BadLink:
        return _bad_link(request)
    filters = feed_filters_of(user)
    viewer = viewer_from_request(request)
    page = feed_following(viewer, filters=filters, before=before)
    extra: dict[str, Any] = {"is_home": home}
    if home and before is None:
        # New (follows nobody, has posted nothing) or nothing to read: where to begin.
        new = not viewer.following_ids or not page.items or not member_has_posted(user)
        extra["steps"] = navigation.links(request, navigation.FIRST_STEPS) if new else []
    return _feed_page(
        request,
        feed="following",
        page=page,
        filters=filters,
        extra=extra,
        feed_url=reverse("core:home") if home else "",
    )


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
def for_you(request: HttpRequest) -> HttpResponse:
    """For You: ranked from what the reader follows and what the site appreciates, each
    post with the reason it is shown."""
    user = _member(request)
    if user is None:
        return _to_login(request)
    raw = request.GET.get("cursor")
    try:
        parse_cursor(raw)
    except ValueError:
        return _bad_link(request)
    filters = feed_filters_of(user)
    page = feed_for_you(viewer_from_request(request), filters=filters, cursor=raw)
    return _feed_page(
        request,
        feed="for-you",
        page=page,
        filters=filters,
        extra={"followed_tags": followed_tags_of(user), "tag_form": TagFollowForm()},
    )


@require_GET
def discover(request: HttpRequest, field: str | None = None) -> HttpResponse:
    """Discover by field: the public posts of one field (or every field), newest first."""
    if field is not None and field not in Discipline.values:
        raise Http404("No such field.")
    try:
        before = _cursor(request, "before")
    except _BadLink:
        return _bad_link(request)
    filters = feed_filters_of(_member(request))
    page = feed_discover(viewer_from_request(request), field=field, filters=filters, before=before)
    return _feed_page(
        request,
        feed="discover",
        page=page,
        filters=filters,
        extra={
            "field": field,
            "field_label": Discipline(field).label if field else "",
            "disciplines": Discipline.choices,
        },
    )


@require_POST
def tag_follow_view(request: HttpRequest) -> HttpResponse:
    """Follow a tag (from For You's tag box); back to For You."""
    user = _member(request)
    if user is None:
        return _to_login(request)
    form = TagFollowForm(request.POST)
    back = _safe_next(request, reverse("feeds:for-you"))
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the tag to follow."))
        tag = tag_follow(user=user, name=form.cleaned_data["name"]).tag
    except ValidationError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
        return redirect(back)
    messages.success(request, _("You follow #%(tag)s.") % {"tag": tag.display_name})
    return redirect(back)


@require_POST
def tag_unfollow_view(request: HttpRequest, name: str) -> HttpResponse:
    user = _member(request)
    if user is None:
        return _to_login(request)
    try:
        tag_unfollow(user=user, name=name)
    except ValidationError:
        raise Http404("No such tag.") from None
    messages.success(request, _("You no longer follow #%(tag)s.") % {"tag": name})
    return redirect(_safe_next(request, reverse("feeds:for-you")))


@require_GET
def new_count(request: HttpRequest, feed: str) -> HttpResponse:
    """The new-posts indicator (polled): how many posts arrived above ``after``."""
    if feed not in POLLED:
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
    if feed not in ("following", "latest", "for-you"):
        feed = "following"
    back = _safe_next(request, reverse(FEED_URLS[feed]))
    if not form.is_valid():
        message = _("Choose from the options shown.")
        if _is_htmx(request):
            return toast(HttpResponse(status=400), message, level="error")
        messages.error(request, message)
        return redirect(back)
    feed_preferences_update(user=user, **form.cleaned_data)
    if not _is_htmx(request) or feed == "for-you":
        # For You's bar is a plain form (its page holds more than the list).
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
    # From the member's home (/), the list leads on from / as the page around it does.
    home = reverse("core:home") if feed == "following" and back == reverse("core:home") else ""
    response = _feed_page(
        request,
        feed=feed,
        page=page,
        filters=filters,
        path=home or reverse(FEED_URLS[feed]),
        feed_url=home,
    )
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
