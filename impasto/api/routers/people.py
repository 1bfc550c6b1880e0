"""A person's social side: /api/v1/profiles/{handle}/posts, likes, followers, following, and
your relationship with them (follow, block, mute).

The profile itself is ``GET /profiles/{handle}`` (``routers/profiles.py``). Someone who blocks
you, or whom you block, has no posts, likes or follower lists for you (404); the relationship
and the block and mute switches keep working for people you block, so you can undo it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router
from pydantic import Field

from impasto.accounts.models import User
from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, current_user
from impasto.api.errors import ApiError, error_responses
from impasto.api.schemas.posts import PostOut, post_out
from impasto.api.schemas.social import (
    PersonOut,
    RelationshipOut,
    SocialPage,
    SocialPageParams,
    person_out,
    relationship_out,
)
from impasto.api.social import fresh_viewer, page_out, person_or_404, viewer_of
from impasto.social.selectors import graph as graph_selectors
from impasto.social.selectors import posts as post_selectors
from impasto.social.selectors.graph import PersonItem
from impasto.social.selectors.relations import relationship
from impasto.social.services import graph
from impasto.social.visibility import Viewer

router = Router(tags=["people"])

Handle = PathEx[str, P(description="The person's handle (any case, @ optional).", example="mira")]


class ProfilePostsParams(SocialPageParams):
    replies: bool = Field(default=False, description="Include their replies (the second tab).")


def _relationship_with(request: HttpRequest, other: User) -> dict[str, bool]:
    """Your relationship with ``other`` after a write (so read the graph again)."""
    return relationship_out(relationship(fresh_viewer(request), other))


def _people(viewer: Viewer) -> Any:
    def item(entry: PersonItem) -> dict[str, Any]:
        return person_out(entry.user, entry.relationship if viewer.is_authenticated else None)

    return item


def _refused(error: ValidationError) -> ApiError:
    # Following, blocking or muting oneself: the handle in the path is the value at fault.
    return ApiError(
        _("Some values are not valid."),
        errors=[{"field": "handle", "message": message} for message in error.messages],
        status=422,
    )


@router.get(
    "/{handle}/posts",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PostOut], **error_responses(401, 404, 422)},
    summary="A person's posts and reposts",
)
def profile_posts_list(
    request: HttpRequest, handle: Handle, params: Query[ProfilePostsParams]
) -> dict[str, Any]:
    """Newest first: the posts you may see (followers-only ones if you follow them)."""
    viewer = viewer_of(request)
    page = post_selectors.posts_by_author(
        viewer,
        person_or_404(handle),
        before=params.before,
        limit=params.limit,
        with_replies=params.replies,
    )
    return page_out(page, lambda view: post_out(view, viewer))


@router.get(
    "/{handle}/likes",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PostOut], **error_responses(401, 404, 422)},
    summary="Posts a person liked",
)
def profile_likes_list(
    request: HttpRequest, handle: Handle, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Most recently liked first (the cursor is the like's, not the post's)."""
    viewer = viewer_of(request)
    page = post_selectors.posts_liked_by(
        viewer, person_or_404(handle), before=params.before, limit=params.limit
    )
    return page_out(page, lambda view: post_out(view, viewer))


@router.get(
    "/{handle}/followers",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PersonOut], **error_responses(401, 404, 422)},
    summary="A person's followers",
)
def profile_followers_list(
    request: HttpRequest, handle: Handle, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Most recent first, each with your relationship to them when you are signed in."""
    viewer = viewer_of(request)
    page = graph_selectors.followers_page(
        viewer, person_or_404(handle), before=params.before, limit=params.limit
    )
    return page_out(page, _people(viewer))


@router.get(
    "/{handle}/following",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PersonOut], **error_responses(401, 404, 422)},
    summary="Who a person follows",
)
def profile_following_list(
    request: HttpRequest, handle: Handle, params: Query[SocialPageParams]
) -> dict[str, Any]:
    viewer = viewer_of(request)
    page = graph_selectors.following_page(
        viewer, person_or_404(handle), before=params.before, limit=params.limit
    )
    return page_out(page, _people(viewer))


@router.get(
    "/{handle}/relationship",
    response={200: RelationshipOut, **error_responses(401, 404)},
    summary="Your relationship with a person",
)
def relationship_get(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """Following, followed by, requested either way, blocking, muting. 404 for someone who
    blocks you, as their profile is."""
    viewer = viewer_of(request)
    other = person_or_404(handle)
    if other.pk in viewer.blocked_by_ids:
        raise Http404("No such person.")
    return relationship_out(relationship(viewer, other))


@router.post(
    "/{handle}/follow",
    response={200: RelationshipOut, **error_responses(401, 403, 404, 422)},
    summary="Follow a person",
)
def profile_follow(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """For a locked account this sends a request (`requested` in the answer). Following twice
    is harmless. 404 when a block stands between you, whoever made it."""
    other = person_or_404(handle)
    try:
        graph.follow_create(follower=current_user(request), followee=other)
    except ValidationError as error:
        raise _refused(error) from None
    return _relationship_with(request, other)


@router.delete(
    "/{handle}/follow",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Unfollow a person (or withdraw your request)",
)
def profile_unfollow(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    other = person_or_404(handle)
    graph.follow_delete(follower=current_user(request), followee=other)
    return _relationship_with(request, other)


@router.post(
    "/{handle}/block",
    response={200: RelationshipOut, **error_responses(401, 403, 404, 422)},
    summary="Block a person",
)
def profile_block(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """Each of you disappears for the other; follows both ways end. They are not told."""
    other = person_or_404(handle)
    try:
        graph.block_create(blocker=current_user(request), blocked=other)
    except ValidationError as error:
        raise _refused(error) from None
    return _relationship_with(request, other)


@router.delete(
    "/{handle}/block",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Unblock a person",
)
def profile_unblock(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """Follows that the block ended are not restored."""
    other = person_or_404(handle)
    graph.block_delete(blocker=current_user(request), blocked=other)
    return _relationship_with(request, other)


@router.post(
    "/{handle}/mute",
    response={200: RelationshipOut, **error_responses(401, 403, 404, 422)},
    summary="Mute a person",
)
def profile_mute(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    """They leave your lists, feeds and notifications; their profile still shows their posts.
    They are not told."""
    other = person_or_404(handle)
    try:
        graph.mute_create(muter=current_user(request), muted=other)
    except ValidationError as error:
        raise _refused(error) from None
    return _relationship_with(request, other)


@router.delete(
    "/{handle}/mute",
    response={200: RelationshipOut, **error_responses(401, 403, 404)},
    summary="Unmute a person",
)
def profile_unmute(request: HttpRequest, handle: Handle) -> dict[str, bool]:
    other = person_or_404(handle)
    graph.mute_delete(muter=current_user(request), muted=other)
    return _relationship_with(request, other)
