"""Your own social things: /api/v1/me/bookmarks, follow-requests, followers, social-settings.

Everything here is about the caller and nobody else: there is no id of another person's
bookmarks or settings to ask for.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router

from impasto.api.auth import current_user
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.posts import PostOut, post_out
from impasto.api.schemas.social import (
    PersonOut,
    RelationshipOut,
    SocialPage,
    SocialPageParams,
    SocialSettingsIn,
    SocialSettingsOut,
    person_out,
    relationship_out,
)
from impasto.api.social import fresh_viewer, page_out, person_or_404, viewer_of
from impasto.social.selectors.graph import follow_requests_page
from impasto.social.selectors.posts import bookmarks_page
from impasto.social.selectors.relations import relationship, social_settings_of
from impasto.social.services import graph

router = Router(tags=["me"])

Handle = PathEx[str, P(description="The person's handle (any case, @ optional).", example="mira")]


@router.get(
    "/bookmarks",
    response={200: SocialPage[PostOut], **error_responses(401, 422)},
    summary="Your bookmarks",
)
def bookmarks_list(request: HttpRequest, params: Query[SocialPageParams]) -> dict[str, Any]:
    """Most recently bookmarked first (the cursor is the bookmark's). Posts you can no longer
    see drop out."""
    viewer = viewer_of(request)
    page = bookmarks_page(viewer, before=params.before, limit=params.limit)
    return page_out(page, lambda view: post_out(view, viewer))


@router.get(
    "/follow-requests",
    response={200: SocialPage[PersonOut], **error_responses(401, 422)},
    summary="People waiting for your approval",
)
def follow_requests_list(request: HttpRequest, params: Query[SocialPageParams]) -> dict[str, Any]:
    """Follow requests to your locked account, most recent first."""
    page = follow_requests_page(viewer_of(request), before=params.before, limit=params.limit)
    return page_out(page, lambda item: person_out(item.user, item.relationship))


@router.post(
    "/follow-requests/{handle}/accept",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Accept a follow request",
)
def follow_request_accept(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """404 when this person has not asked to follow you. Accepting twice is harmless."""
    follower = person_or_404(handle)
    graph.follow_request_accept(user=current_user(request), follower=follower)
    return relationship_out(relationship(fresh_viewer(request), follower))


@router.post(
    "/follow-requests/{handle}/reject",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Turn down a follow request",
)
def follow_request_reject(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """404 when no request from this person waits. They are not told; they may ask again."""
    follower = person_or_404(handle)
    graph.follow_request_reject(user=current_user(request), follower=follower)
    return relationship_out(relationship(fresh_viewer(request), follower))


@router.delete(
    "/followers/{handle}",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Remove a follower",
)
def follower_remove(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """They stop following you, without being told (they may follow again; block to stop
    that). Harmless when they did not follow you."""
    follower = person_or_404(handle)
    graph.follower_remove(user=current_user(request), follower=follower)
    return relationship_out(relationship(fresh_viewer(request), follower))


@router.get(
    "/social-settings",
    response={200: SocialSettingsOut, **error_responses(401)},
    summary="Your social settings",
)
def social_settings_get(request: HttpRequest) -> SocialSettingsOut:
    return SocialSettingsOut.of(social_settings_of(current_user(request)))


@router.patch(
    "/social-settings",
    response={200: SocialSettingsOut, **error_responses(400, 401, 403, 422)},
    summary="Change your social settings",
)
def social_settings_update(request: HttpRequest, payload: SocialSettingsIn) -> SocialSettingsOut:
    """Change the fields you send; the others stay. Unlocking your account accepts the
    requests that were waiting."""
    try:
        settings = graph.social_settings_update(
            user=current_user(request), **payload.model_dump(exclude_none=True)
        )
    except ValidationError as error:
        raise ApiError(
            _("Some values are not valid."),
            errors=field_errors(error, fields_by_code={"invalid_message_policy": "message_policy"}),
            status=422,
        ) from None
    return SocialSettingsOut.of(settings)
