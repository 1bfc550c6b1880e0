"""Feeds: /api/v1/feeds/following, /latest, their new-post counts, and your preferences.

Each feed is the same selector as its web page (impasto.feeds.selectors) with the caller's
stored filters applied; visibility, blocks and mutes come from the social selectors below it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, current_user, principal
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.feeds import (
    FeedPostOut,
    FeedPreferencesIn,
    FeedPreferencesOut,
    NewCountOut,
    feed_item_out,
)
from impasto.api.schemas.social import SocialPage, SocialPageParams
from impasto.api.social import page_out, viewer_of
from impasto.feeds.models import FeedPreferences
from impasto.feeds.selectors import (
    NEW_COUNT_CAP,
    feed_filters_of,
    feed_following,
    feed_latest,
    feed_new_count,
    feed_preferences_of,
)
from impasto.feeds.services import feed_preferences_update

router = Router(tags=["feeds"])


class NewCountParams(Schema):
    after: SnowflakeId = Field(description="The newest post id you have (the first item's).")


@router.get(
    "/following",
    response={200: SocialPage[FeedPostOut], **error_responses(401, 422)},
    summary="Your Following feed",
)
def feed_following_list(request: HttpRequest, params: Query[SocialPageParams]) -> dict[str, Any]:
    """Posts and reposts from the people you follow (and yours), newest first, filtered by
    your feed preferences. A reply shows when it answers someone you follow."""
    viewer = viewer_of(request)
    page = feed_following(
        viewer,
        filters=feed_filters_of(principal(request).user),
        before=params.before,
        limit=params.limit,
    )
    return page_out(page, lambda item: feed_item_out(item, viewer))


@router.get(
    "/latest",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[FeedPostOut], **error_responses(401, 422)},
    summary="The latest public posts",
)
def feed_latest_list(request: HttpRequest, params: Query[SocialPageParams]) -> dict[str, Any]:
    """Every public top-level post on the site, newest first (your filters apply when signed
    in). Unlisted and followers-only posts, replies and reposts are not in it."""
    viewer = viewer_of(request)
    page = feed_latest(
        viewer,
        filters=feed_filters_of(principal(request).user),
        before=params.before,
        limit=params.limit,
    )
    return page_out(page, lambda item: feed_item_out(item, viewer))


@router.get(
    "/following/new-count",
    response={200: NewCountOut, **error_responses(401, 422)},
    summary="How many posts arrived in your Following feed",
)
def feed_following_new_count(request: HttpRequest, params: Query[NewCountParams]) -> NewCountOut:
    """Posts newer than `after` that the Following feed would show you: poll this, then load
    the first page again."""
    return _new_count(request, "following", params.after)


@router.get(
    "/latest/new-count",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: NewCountOut, **error_responses(401, 422)},
    summary="How many posts arrived in the latest public posts",
)
def feed_latest_new_count(request: HttpRequest, params: Query[NewCountParams]) -> NewCountOut:
    """Public posts newer than `after` that the Latest feed would show you."""
    return _new_count(request, "latest", params.after)


def _new_count(request: HttpRequest, feed: str, after: int) -> NewCountOut:
    count = feed_new_count(
        viewer_of(request), feed=feed, after=after, filters=feed_filters_of(principal(request).user)
    )
    return NewCountOut(count=min(count, NEW_COUNT_CAP), more=count > NEW_COUNT_CAP)


@router.get(
    "/preferences",
    response={200: FeedPreferencesOut, **error_responses(401)},
    summary="Your feed preferences",
)
def feed_preferences_get(request: HttpRequest) -> FeedPreferencesOut:
    user = current_user(request)
    return FeedPreferencesOut.of(feed_preferences_of(user) or FeedPreferences(user=user))


@router.patch(
    "/preferences",
    response={200: FeedPreferencesOut, **error_responses(400, 401, 403, 422)},
    summary="Change your feed preferences",
)
def feed_preferences_patch(request: HttpRequest, payload: FeedPreferencesIn) -> FeedPreferencesOut:
    """Change the fields you send; the others stay. A list you send replaces the stored one."""
    try:
        prefs = feed_preferences_update(
            user=current_user(request), **payload.model_dump(exclude_none=True)
        )
    except ValidationError as error:
        raise ApiError(
            _("Some values are not valid."), errors=field_errors(error), status=422
        ) from None
    return FeedPreferencesOut.of(prefs)
