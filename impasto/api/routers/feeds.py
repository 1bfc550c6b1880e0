"""Feeds: /api/v1/feeds/following, /latest, their new-post counts, and your preferences.

Each feed is the same selector as its web page (impasto.feeds.selectors) with the caller's
stored filters applied; visibility, blocks and mutes come from the social selectors below it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Query, Router, Schema, Status

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, current_user, principal
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.feeds import (
    TAG_PATTERN,
    DiscoverParams,
    FeedPostOut,
    FeedPreferencesIn,
    FeedPreferencesOut,
    ForYouPageOut,
    ForYouParams,
    NewCountOut,
    TagOut,
    feed_item_out,
)
from impasto.api.schemas.social import SocialPage, SocialPageParams
from impasto.api.social import page_out, viewer_of
from impasto.feeds.foryou import feed_for_you
from impasto.feeds.models import FeedPreferences
from impasto.feeds.selectors import (
    NEW_COUNT_CAP,
    feed_discover,
    feed_filters_of,
    feed_following,
    feed_latest,
    feed_new_count,
    feed_preferences_of,
    followed_tags_of,
)
from impasto.feeds.services import feed_preferences_update, tag_follow, tag_unfollow

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
    "/for-you",
    response={200: ForYouPageOut, **error_responses(401, 422)},
    summary="Your For You feed",
)
def feed_for_you_list(request: HttpRequest, params: Query[ForYouParams]) -> dict[str, Any]:
    """Posts from the people and tags you follow, what they appreciate, and what the whole
    site appreciated lately (your `network_mix` sets the balance), best first, each with the
    `reason` it is shown. Pages with `cursor`."""
    viewer = viewer_of(request)
    page = feed_for_you(
        viewer,
        filters=feed_filters_of(principal(request).user),
        cursor=params.cursor,
        limit=params.limit,
    )
    return {
        "items": [feed_item_out(item, viewer) for item in page.items],
        "cursor": page.next_cursor,
    }


@router.get(
    "/discover",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[FeedPostOut], **error_responses(401, 422)},
    summary="Public posts by field",
)
def feed_discover_list(request: HttpRequest, params: Query[DiscoverParams]) -> dict[str, Any]:
    """Public top-level posts by artists of `field` (every field when left out), newest
    first; your other filters apply when signed in."""
    viewer = viewer_of(request)
    page = feed_discover(
        viewer,
        field=params.field,
        filters=feed_filters_of(principal(request).user),
        before=params.before,
        limit=params.limit,
    )
    return page_out(page, lambda item: feed_item_out(item, viewer))


@router.get(
    "/tags",
    response={200: list[TagOut], **error_responses(401)},
    summary="The tags you follow",
)
def followed_tags_list(request: HttpRequest) -> list[TagOut]:
    return [
        TagOut(name=tag.name, display_name=tag.display_name)
        for tag in followed_tags_of(current_user(request))
    ]


@router.post(
    "/tags/{name}",
    response={200: TagOut, **error_responses(400, 401, 403, 422)},
    summary="Follow a tag",
)
def feed_tag_follow(
    request: HttpRequest,
    name: PathEx[
        str,
        P(
            description="The tag, without #; any case and accents.",
            max_length=100,
            pattern=TAG_PATTERN,
        ),
    ],
) -> TagOut:
    """Its posts come to For You ("Because you follow #ink"). Following twice is harmless."""
    try:
        tag = tag_follow(user=current_user(request), name=name).tag
    except ValidationError as error:
        raise ApiError(error.messages[0], errors=field_errors(error), status=422) from None
    return TagOut(name=tag.name, display_name=tag.display_name)


@router.delete(
    "/tags/{name}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Stop following a tag",
)
def feed_tag_unfollow(
    request: HttpRequest,
    name: PathEx[str, P(description="The tag, without #.", max_length=100, pattern=TAG_PATTERN)],
) -> Status[None]:
    try:
        tag_unfollow(user=current_user(request), name=name)
    except ValidationError:
        raise Http404("No such tag.") from None
    return Status(204, None)


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
