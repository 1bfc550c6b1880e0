"""Posts: /api/v1/posts. Write, read, edit, delete, repost, like, bookmark; who liked.

Every operation calls one service or selector of ``impasto.social`` (docs/social.md): the
visibility rules, blocks and mutes are theirs. Something the caller may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, current_user
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.posts import (
    PostCreateIn,
    PostEditIn,
    PostOut,
    RevisionOut,
    ThreadOut,
    ThreadParams,
    post_out,
    thread_reply_out,
)
from impasto.api.schemas.social import PersonOut, SocialPage, SocialPageParams, person_out
from impasto.api.social import page_out, viewer_of
from impasto.social.models import PostRevision
from impasto.social.selectors import posts as selectors
from impasto.social.services import posts as services
from impasto.social.services import reactions
from impasto.social.services.attachments import AttachmentSpec

router = Router(tags=["posts"])

# The services' error codes, as the request fields they are about.
FIELDS_BY_CODE = {
    "empty_post": "body",
    "too_many_mentions": "body",
    "too_many_tags": "body",
    "invalid_visibility": "visibility",
    "quote_not_public": "quote_of",
    "too_many_images": "images",
    "duplicate_image": "images",
    "image_not_usable": "images",
    "alt_missing": "images",
    "alt_and_decorative": "images",
}


def _invalid(error: ValidationError) -> ApiError:
    return ApiError(
        _("Some values are not valid."),
        errors=field_errors(error, fields_by_code=FIELDS_BY_CODE),
        status=422,
    )


def _one(request: HttpRequest, post_id: int, *, with_source: bool = True) -> dict[str, Any]:
    viewer = viewer_of(request)
    return post_out(
        selectors.post_view_for_viewer(viewer, post_id), viewer, with_source=with_source
    )


@router.post(
    "",
    response={201: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Publish a post, a reply or a quote",
)
def post_create(request: HttpRequest, payload: PostCreateIn) -> Status[dict[str, Any]]:
    """404 when `reply_to` or `quote_of` is a post you cannot see; 403 when its author does not
    allow quotes; 422 for text that is empty (with no image) or too long, too many mentions
    or hashtags, and for an image that is not one of your post uploads (someone else's, or
    one that failed), attached twice, or neither described nor decorative."""
    try:
        post = services.post_create(
            author=current_user(request),
            body=payload.body,
            content_warning=payload.content_warning,
            visibility=payload.visibility,
            reply_to_id=payload.reply_to,
            quote_of_id=payload.quote_of,
            attachments=[
                AttachmentSpec(image.id, image.alt_text, image.decorative)
                for image in payload.images
            ],
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _one(request, post.pk))


@router.get(
    "/{post_id}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: PostOut, **error_responses(401, 404, 422)},
    summary="One post",
)
def post_get(request: HttpRequest, post_id: SnowflakeId) -> dict[str, Any]:
    """404 when it does not exist, was deleted, or is not visible to you."""
    return _one(request, post_id)


@router.patch(
    "/{post_id}",
    response={200: PostOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Edit your post",
)
def post_edit(request: HttpRequest, post_id: SnowflakeId, payload: PostEditIn) -> dict[str, Any]:
    """The earlier text goes to the post's history (`GET /posts/{id}/revisions`)."""
    try:
        services.post_edit(
            author=current_user(request),
            post_id=post_id,
            body=payload.body,
            content_warning=payload.content_warning,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _one(request, post_id)


@router.delete(
    "/{post_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete your post (or undo your repost)",
)
def post_delete(request: HttpRequest, post_id: SnowflakeId) -> Status[None]:
    """Gone at once for everyone; replies stay and show that their parent was deleted."""
    services.post_delete(user=current_user(request), post_id=post_id)
    return Status(204, None)


@router.get(
    "/{post_id}/context",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: ThreadOut, **error_responses(401, 404, 422)},
    summary="A post in its thread",
)
def post_context(
    request: HttpRequest, post_id: SnowflakeId, params: Query[ThreadParams]
) -> dict[str, Any]:
    """The posts above it (ancestors) and the replies below it, each one you may see.

    Replies come oldest first, a page at a time (`after`); each has its parent's id and its
    depth below the post. A deleted post stays as a placeholder only where replies hang below
    it. Muted people's replies are left out. A thread shows its first 500 posts.
    """
    viewer = viewer_of(request)
    thread = selectors.post_thread(viewer, post_id)
    replies = sorted(thread.replies, key=lambda view: view.post.pk)
    if params.after is not None:
        replies = [view for view in replies if view.post.pk > params.after]
    page = replies[: params.limit]
    return {
        "post": post_out(thread.focus, viewer),
        "ancestors": [post_out(view, viewer) for view in thread.ancestors],
        "replies": [thread_reply_out(view, viewer) for view in page],
        "after": page[-1].post.pk if len(replies) > params.limit else None,
    }


@router.get(
    "/{post_id}/revisions",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[RevisionOut], **error_responses(401, 404, 422)},
    summary="Earlier versions of a post",
)
def post_revisions_list(request: HttpRequest, post_id: SnowflakeId) -> list[PostRevision]:
    """The text as it was before each edit, oldest first (the current text is the post's)."""
    return selectors.post_revisions(viewer_of(request), post_id)


@router.post(
    "/{post_id}/repost",
    response={200: PostOut, **error_responses(401, 403, 404, 422)},
    summary="Repost a post",
)
def post_repost(request: HttpRequest, post_id: SnowflakeId) -> dict[str, Any]:
    """Once per post: reposting again answers the same repost. Only public and unlisted posts."""
    try:
        repost = services.repost_create(user=current_user(request), post_id=post_id)
    except ValidationError as error:
        raise _invalid(error) from None
    return _one(request, repost.pk, with_source=False)


@router.delete(
    "/{post_id}/repost",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Undo your repost",
)
def post_unrepost(request: HttpRequest, post_id: SnowflakeId) -> Status[None]:
    """`post_id` is the original's id (or your repost's). Harmless when there is none."""
    services.repost_delete(user=current_user(request), post_id=post_id)
    return Status(204, None)


@router.post(
    "/{post_id}/like",
    response={200: PostOut, **error_responses(401, 403, 404, 422)},
    summary="Like a post",
)
def post_like(request: HttpRequest, post_id: SnowflakeId) -> dict[str, Any]:
    """Liking twice counts once. Liking a repost likes its original. Answers the post."""
    reactions.post_like(user=current_user(request), post_id=post_id)
    return _one(request, post_id, with_source=False)


@router.delete(
    "/{post_id}/like",
    response={204: None, **error_responses(401, 403, 422)},
    summary="Take your like back",
)
def post_unlike(request: HttpRequest, post_id: SnowflakeId) -> Status[None]:
    """Harmless when you had not liked it; works even if the post is no longer visible."""
    reactions.post_unlike(user=current_user(request), post_id=post_id)
    return Status(204, None)


@router.post(
    "/{post_id}/bookmark",
    response={200: PostOut, **error_responses(401, 403, 404, 422)},
    summary="Bookmark a post",
)
def post_bookmark(request: HttpRequest, post_id: SnowflakeId) -> dict[str, Any]:
    """Private: nobody is told, there is no count. See `GET /me/bookmarks`."""
    reactions.post_bookmark(user=current_user(request), post_id=post_id)
    return _one(request, post_id, with_source=False)


@router.delete(
    "/{post_id}/bookmark",
    response={204: None, **error_responses(401, 403, 422)},
    summary="Remove a bookmark",
)
def post_unbookmark(request: HttpRequest, post_id: SnowflakeId) -> Status[None]:
    reactions.post_unbookmark(user=current_user(request), post_id=post_id)
    return Status(204, None)


@router.get(
    "/{post_id}/likes",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PersonOut], **error_responses(401, 404, 422)},
    summary="Who liked a post",
)
def post_likers_list(
    request: HttpRequest, post_id: SnowflakeId, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Most recent first; people you block, who block you or whom you mute are left out."""
    page = selectors.post_likers(
        viewer_of(request), post_id, before=params.before, limit=params.limit
    )
    return page_out(page, person_out)


@router.get(
    "/{post_id}/reposts",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[PersonOut], **error_responses(401, 404, 422)},
    summary="Who reposted a post",
)
def post_reposters_list(
    request: HttpRequest, post_id: SnowflakeId, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Most recent first; people you block, who block you or whom you mute are left out."""
    page = selectors.post_reposters(
        viewer_of(request), post_id, before=params.before, limit=params.limit
    )
    return page_out(page, person_out)
