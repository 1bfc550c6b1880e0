"""People: the profile's social header and its Posts and Likes tabs, followers and following,
follow / unfollow, follow requests, mute and block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts.models import User
from impasto.accounts.navigation import ProfileHeader, ProfileTabContent
from impasto.social.models import Follow
from impasto.social.selectors.graph import (
    Counts,
    counts_of,
    follow_requests_page,
    followers_page,
    following_page,
)
from impasto.social.selectors.messages import can_message
from impasto.social.selectors.posts import (
    author_visible_or_404,
    posts_by_author,
    posts_liked_by,
)
from impasto.social.selectors.relations import (
    Relationship,
    relationship,
    social_settings_by_user,
    social_settings_of,
)
from impasto.social.services import graph
from impasto.social.views._common import (
    BadRequest,
    cursor,
    done,
    friendly,
    is_htmx,
    member,
    member_required,
    next_page_url,
    person_or_404,
    refresh_viewer,
    safe_next,
    viewer,
)

# --- the profile page (accounts' view calls these, see SocialConfig) -------------------------


@dataclass(frozen=True)
class ProfileSocial:
    """What the profile header shows of the social graph, for one reader."""

    person: User
    relationship: Relationship
    counts: Counts
    locked: bool
    can_message: bool


def profile_social(request: HttpRequest, person: User) -> ProfileSocial:
    v = viewer(request)
    author_visible_or_404(v, person)
    settings = social_settings_of(person)
    rel = relationship(v, person)
    return ProfileSocial(
        person=person,
        relationship=rel,
        counts=counts_of(person),
        locked=settings.locked,
        can_message=can_message(
            v, person, recipient_settings=settings, recipient_follows_viewer=rel.followed_by
        ),
    )


def profile_header(request: HttpRequest, person: User) -> ProfileHeader:
    """The follow button, the menu (mute, block) and the counts; 404 across a block."""
    return ProfileHeader(
        context={"social": profile_social(request, person)},
        actions="social/_profile_actions.html",
        stats="social/_profile_stats.html",
    )


def _tab(
    request: HttpRequest, person: User, template: str, load: Any, **extra: Any
) -> ProfileTabContent:
    try:
        before = cursor(request)
    except BadRequest as error:
        return ProfileTabContent(
            "social/_problem.html", {"message": error.message}, partial=True, status=400
        )
    page = load(viewer(request), person, before=before)
    context = {
        "posts": page.items,
        "next_url": next_page_url(request, page.next_cursor),
        **extra,
    }
    if is_htmx(request) and before is not None:
        return ProfileTabContent("social/_post_items.html", context, partial=True)
    return ProfileTabContent(template, context)


def posts_tab(request: HttpRequest, person: User) -> ProfileTabContent:
    """Posts and reposts, newest first (replies stay in their threads)."""
    return _tab(request, person, "social/profile_posts.html", posts_by_author)


def likes_tab(request: HttpRequest, person: User) -> ProfileTabContent:
    """The posts the person liked (those the reader may see), most recently liked first."""
    return _tab(request, person, "social/profile_likes.html", posts_liked_by)


# --- followers and following -----------------------------------------------------------------


def locked_among(user_ids: list[int]) -> set[int]:
    """Who among these people approves followers (their button says "Request to follow")."""
    if not user_ids:
        return set()
    return {uid for uid, s in social_settings_by_user(user_ids).items() if s.locked}


def _people(request: HttpRequest, handle: str, which: str) -> HttpResponse:
    person = person_or_404(handle)
    load = followers_page if which == "followers" else following_page
    page = load(viewer(request), person, before=cursor(request))
    context = {
        "person": person,
        "which": which,
        "people": page.items,
        "locked_ids": locked_among([item.user.pk for item in page.items]),
        # On one's own followers list, "Follows you" would be on every row.
        "hide_follows_you": which == "followers" and request.user.pk == person.pk,
        "next_url": next_page_url(request, page.next_cursor),
        "counts": counts_of(person),
    }
    if is_htmx(request) and request.GET.get("before"):
        return render(request, "social/_people_items.html", context)
    return render(request, "social/people_list.html", context)


@require_GET
@friendly
def followers(request: HttpRequest, handle: str) -> HttpResponse:
    return _people(request, handle, "followers")


@require_GET
@friendly
def following(request: HttpRequest, handle: str) -> HttpResponse:
    return _people(request, handle, "following")


# --- follow, unfollow --------------------------------------------------------------------------


def _changed(request: HttpRequest, person: User, message: str) -> HttpResponse:
    """After a follow, mute...: the profile's actions (and counts) or a list's follow button."""
    refresh_viewer(request)
    back = safe_next(request, reverse("accounts:profile", kwargs={"handle": person.handle}))
    if request.POST.get("where") == "profile":
        return done(
            request,
            message,
            back=back,
            partial="social/_profile_actions_changed.html",
            context={"social": profile_social(request, person), "back": back},
        )
    return done(
        request,
        message,
        back=back,
        partial="social/_follow_button.html",
        context={
            "person": person,
            "relationship": relationship(viewer(request), person),
            "locked": social_settings_of(person).locked,
            "back": back,
        },
    )


@member_required
@require_POST
@friendly
def follow(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    made = graph.follow_create(follower=member(request), followee=person)
    if made.state == Follow.State.PENDING:
        message = _("Request sent. %(name)s will decide.") % {"name": person.name}
    else:
        message = _("You follow %(name)s.") % {"name": person.name}
    return _changed(request, person, message)


@member_required
@require_POST
@friendly
def unfollow(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    before = viewer(request)
    graph.follow_delete(follower=member(request), followee=person)
    if person.pk in before.requested_ids:
        message = _("Follow request withdrawn.")
    else:
        message = _("You no longer follow %(name)s.") % {"name": person.name}
    return _changed(request, person, message)


@member_required
@require_POST
@friendly
def follower_remove(request: HttpRequest, handle: str) -> HttpResponse:
    """Take someone out of one's followers (they are not told)."""
    person = person_or_404(handle)
    graph.follower_remove(user=member(request), follower=person)
    return done(
        request,
        _("%(name)s no longer follows you.") % {"name": person.name},
        back=reverse("social:followers", kwargs={"handle": member(request).handle}),
    )


# --- mute and block ----------------------------------------------------------------------------


@member_required
@require_POST
@friendly
def mute(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    author_visible_or_404(viewer(request), person)
    graph.mute_create(muter=member(request), muted=person)
    return _changed(
        request,
        person,
        _("%(name)s is muted: their posts and notifications leave your lists. They are not told.")
        % {"name": person.name},
    )


@member_required
@require_POST
@friendly
def unmute(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    graph.mute_delete(muter=member(request), muted=person)
    if request.POST.get("where") == "settings":
        return done(
            request,
            _("%(name)s is no longer muted.") % {"name": person.name},
            back=reverse("social:settings-blocked"),
        )
    return _changed(request, person, _("%(name)s is no longer muted.") % {"name": person.name})


@member_required
@require_http_methods(["GET", "POST"])
@friendly
def block(request: HttpRequest, handle: str) -> HttpResponse:
    """Block, after a confirmation (this page, or the dialog on the profile)."""
    person = person_or_404(handle)
    author_visible_or_404(viewer(request), person)
    if person.pk == member(request).pk:
        raise Http404("You cannot block yourself.")
    if request.method != "POST":
        return render(request, "social/block_confirm.html", {"person": person})
    graph.block_create(blocker=member(request), blocked=person)
    message = _("You blocked %(name)s. You can undo it here.") % {"name": person.name}
    target = reverse("social:settings-blocked")
    if is_htmx(request):
        messages.success(request, message)
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    messages.success(request, message)
    return redirect(target)


@member_required
@require_POST
@friendly
def unblock(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    graph.block_delete(blocker=member(request), blocked=person)
    return done(
        request,
        _("%(name)s is no longer blocked. Follows the block ended are not restored.")
        % {"name": person.name},
        back=reverse("social:settings-blocked"),
    )


# --- follow requests (locked accounts) -------------------------------------------------------


@member_required
@require_GET
@friendly
def follow_requests(request: HttpRequest) -> HttpResponse:
    page = follow_requests_page(viewer(request), before=cursor(request))
    context = {"people": page.items, "next_url": next_page_url(request, page.next_cursor)}
    if is_htmx(request) and request.GET.get("before"):
        return render(request, "social/_request_items.html", context)
    return render(request, "social/follow_requests.html", context)


@member_required
@require_POST
@friendly
def follow_request_accept(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    graph.follow_request_accept(user=member(request), follower=person)
    return done(
        request,
        _("%(name)s now follows you.") % {"name": person.name},
        back=reverse("social:follow-requests"),
    )


@member_required
@require_POST
@friendly
def follow_request_reject(request: HttpRequest, handle: str) -> HttpResponse:
    person = person_or_404(handle)
    graph.follow_request_reject(user=member(request), follower=person)
    return done(
        request,
        _("Request from %(name)s declined. They are not told.") % {"name": person.name},
        back=reverse("social:follow-requests"),
    )
