"""The portfolio: /api/v1/projects, /api/v1/albums, /api/v1/comments and a person's projects
and albums under /api/v1/profiles/{handle}/.

Every operation calls one service or selector of ``impasto.art`` (docs/portfolio.md): the
visibility rules and blocks are theirs. Something the caller may not see is a 404. Images are
uploaded first with `POST /media/uploads` (purpose `artwork`), then added to a project by id.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, current_user
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.routers.people import Handle
from impasto.api.schemas.art import (
    AlbumDetailOut,
    AlbumIn,
    AlbumOut,
    CommentIn,
    CommentOut,
    CoverIn,
    ImageEditIn,
    ImageIn,
    ImageOut,
    LikeOut,
    OrderIn,
    ProjectCardOut,
    ProjectIn,
    ProjectOut,
    ShareIn,
    ShareOut,
    album_out,
    comment_out,
    image_out,
    project_card_out,
    project_out,
)
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.social import SocialPage, SocialPageParams
from impasto.api.social import page_out, person_or_404, viewer_of
from impasto.art import selectors, services
from impasto.art.models import ProjectImage
from impasto.social.pagination import Page

projects = Router(tags=["projects"])
albums = Router(tags=["albums"])
comments = Router(tags=["projects"])
profiles = Router(tags=["projects"])

FIELDS_BY_CODE = {
    "ai_declaration_required": "no_ai_declared",
    "invalid_visibility": "visibility",
    "no_images": "visibility",
    "invalid_tag": "tags",
    "too_many_tags": "tags",
    "alt_required": "alt_text",
    "invalid_asset": "asset_id",
    "duplicate": "asset_id",
    "invalid_order": "ids",
    "too_many_pinned": None,
}


def _invalid(error: ValidationError) -> ApiError:
    fields = {k: v for k, v in FIELDS_BY_CODE.items() if v}
    return ApiError(
        _("Some values are not valid."),
        errors=field_errors(error, fields_by_code=fields),
        status=422,
    )


def _project(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    viewer = viewer_of(request)
    project = selectors.project_for_viewer(viewer, project_id)
    return project_out(project, liked=selectors.liked_by(viewer, project))


# --- projects -------------------------------------------------------------------------------


@projects.post(
    "",
    response={201: ProjectOut, **error_responses(400, 401, 403, 422)},
    summary="Create a project",
)
def project_create(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    """A draft by default; it can be published (`PATCH`) once it has an image."""
    try:
        project = services.project_create(owner=current_user(request), **payload.details())
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _project(request, project.pk))


@projects.get(
    "/{project_id}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: ProjectOut, **error_responses(401, 404, 422)},
    summary="One project",
)
def project_get(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    """404 when it does not exist, was deleted, is a draft or followers-only work you may not
    see, or a block stands between you and its owner."""
    return _project(request, project_id)


@projects.put(
    "/{project_id}",
    response={200: ProjectOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Replace your project's details",
)
def project_update(
    request: HttpRequest, project_id: SnowflakeId, payload: ProjectIn
) -> dict[str, Any]:
    try:
        services.project_update(
            user=current_user(request), project_id=project_id, **payload.details()
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _project(request, project_id)


@projects.delete(
    "/{project_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete your project",
)
def project_delete(request: HttpRequest, project_id: SnowflakeId) -> Status[None]:
    """Gone at once for everyone, its images too (404 on their URLs)."""
    services.project_delete(user=current_user(request), project_id=project_id)
    return Status(204, None)


@projects.post(
    "/{project_id}/images",
    response={201: ImageOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Add an uploaded image to your project",
)
def project_image_add(
    request: HttpRequest, project_id: SnowflakeId, payload: ImageIn
) -> Status[dict[str, Any]]:
    """The image goes last; the first image becomes the cover."""
    try:
        image = services.project_image_attach(
            user=current_user(request),
            project_id=project_id,
            asset_id=payload.asset_id,
            alt_text=payload.alt_text,
            caption=payload.caption,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    image = ProjectImage.objects.select_related("asset").get(pk=image.pk)
    return Status(201, image_out(image))


@projects.put(
    "/{project_id}/images/{image_id}",
    response={200: ImageOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Change an image's alt text and caption",
)
def project_image_update(
    request: HttpRequest, project_id: SnowflakeId, image_id: SnowflakeId, payload: ImageEditIn
) -> dict[str, Any]:
    try:
        services.project_image_update(
            user=current_user(request),
            project_id=project_id,
            image_id=image_id,
            alt_text=payload.alt_text,
            caption=payload.caption,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return image_out(ProjectImage.objects.select_related("asset").get(pk=image_id))


@projects.delete(
    "/{project_id}/images/{image_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Take an image out of your project",
)
def project_image_remove(
    request: HttpRequest, project_id: SnowflakeId, image_id: SnowflakeId
) -> Status[None]:
    """A published project keeps at least one image (422)."""
    try:
        services.project_image_remove(
            user=current_user(request), project_id=project_id, image_id=image_id
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(204, None)


@projects.put(
    "/{project_id}/image-order",
    response={200: ProjectOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Reorder your project's images",
)
def project_images_order(
    request: HttpRequest, project_id: SnowflakeId, payload: OrderIn
) -> dict[str, Any]:
    """`ids`: every image id of the project once, in the new order."""
    try:
        services.project_images_reorder(
            user=current_user(request), project_id=project_id, image_ids=payload.ids
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _project(request, project_id)


@projects.put(
    "/{project_id}/cover",
    response={200: ProjectOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Choose your project's cover image",
)
def project_cover(
    request: HttpRequest, project_id: SnowflakeId, payload: CoverIn
) -> dict[str, Any]:
    services.project_cover_set(
        user=current_user(request), project_id=project_id, image_id=payload.id
    )
    return _project(request, project_id)


@projects.put(
    "/{project_id}/pin",
    response={200: ProjectOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Pin your project to your profile",
)
def project_pin(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    try:
        services.project_pin(user=current_user(request), project_id=project_id, pinned=True)
    except ValidationError as error:
        raise _invalid(error) from None
    return _project(request, project_id)


@projects.delete(
    "/{project_id}/pin",
    response={200: ProjectOut, **error_responses(401, 403, 404, 422)},
    summary="Unpin your project",
)
def project_unpin(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    services.project_pin(user=current_user(request), project_id=project_id, pinned=False)
    return _project(request, project_id)


@projects.put(
    "/{project_id}/like",
    response={200: LikeOut, **error_responses(401, 403, 404, 422)},
    summary="Like a project",
)
def project_like(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    """Idempotent; the artist is notified once."""
    project = services.project_like(user=current_user(request), project_id=project_id)
    return {"liked": True, "like_count": project.like_count}


@projects.delete(
    "/{project_id}/like",
    response={200: LikeOut, **error_responses(401, 403, 404, 422)},
    summary="Unlike a project",
)
def project_unlike(request: HttpRequest, project_id: SnowflakeId) -> dict[str, Any]:
    project = services.project_unlike(user=current_user(request), project_id=project_id)
    return {"liked": False, "like_count": project.like_count}


@projects.get(
    "/{project_id}/comments",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[CommentOut], **error_responses(401, 404, 422)},
    summary="A project's comments",
)
def project_comments_list(
    request: HttpRequest, project_id: SnowflakeId, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Newest first; comments by people blocked either way are left out."""
    page = selectors.comments_page(
        viewer_of(request), project_id, before=params.before, limit=params.limit
    )
    return page_out(page, comment_out)


@projects.post(
    "/{project_id}/comments",
    response={201: CommentOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Comment on a project",
)
def project_comment_create(
    request: HttpRequest, project_id: SnowflakeId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Light markdown, sanitized; the artist is notified."""
    try:
        comment = services.comment_create(
            user=current_user(request), project_id=project_id, body=payload.body
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, comment_out(selectors.comment_for_viewer(viewer_of(request), comment.pk)))


@projects.post(
    "/{project_id}/share",
    response={201: ShareOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Share your published project as a post",
)
def project_share(
    request: HttpRequest, project_id: SnowflakeId, payload: ShareIn
) -> Status[dict[str, Any]]:
    """A post with the project's audience, linking its page (shown as a preview)."""
    try:
        post = services.project_share(
            user=current_user(request), project_id=project_id, text=payload.text
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, {"post_id": post.pk})


@comments.delete(
    "/{comment_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a comment (yours, or on your project)",
)
def project_comment_delete(request: HttpRequest, comment_id: SnowflakeId) -> Status[None]:
    services.comment_delete(user=current_user(request), comment_id=comment_id)
    return Status(204, None)


# --- a person's portfolio -------------------------------------------------------------------


@profiles.get(
    "/{handle}/projects",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SocialPage[ProjectCardOut], **error_responses(401, 404, 422)},
    summary="A person's projects",
)
def profile_projects_list(
    request: HttpRequest, handle: Handle, params: Query[SocialPageParams]
) -> dict[str, Any]:
    """Newest first, pinned ones ahead on the first page (they do not count against `limit`).
    Drafts show only to their owner."""
    portfolio = selectors.portfolio_of(
        viewer_of(request), person_or_404(handle), before=params.before, limit=params.limit
    )
    page = Page(portfolio.projects, portfolio.page.next_cursor)
    return page_out(page, project_card_out)


@profiles.get(
    "/{handle}/albums",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[AlbumOut], **error_responses(401, 404, 422)},
    summary="A person's albums",
)
def profile_albums_list(request: HttpRequest, handle: Handle) -> list[dict[str, Any]]:
    """In the artist's order, each with the cover and count of the projects you may see."""
    person = person_or_404(handle)
    cards = selectors.albums_of(viewer_of(request), person)
    return [album_out(c.album, handle=person.handle, cover=c.cover, count=c.count) for c in cards]


# --- albums ---------------------------------------------------------------------------------


def _album(request: HttpRequest, album_id: SnowflakeId) -> dict[str, Any]:
    view = selectors.album_for_viewer(viewer_of(request), album_id)
    chosen = next((p for p in view.projects if p.pk == view.album.cover_id), None)
    cover = chosen or (view.projects[0] if view.projects else None)
    return {
        **album_out(
            view.album, handle=view.album.owner.handle, cover=cover, count=len(view.projects)
        ),
        "projects": [project_card_out(p) for p in view.projects],
    }


@albums.post(
    "",
    response={201: AlbumDetailOut, **error_responses(400, 401, 403, 422)},
    summary="Create an album",
)
def album_create(request: HttpRequest, payload: AlbumIn) -> Status[dict[str, Any]]:
    try:
        album = services.album_create(owner=current_user(request), **payload.dict())
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _album(request, album.pk))


@albums.put(
    "/order",
    response={204: None, **error_responses(400, 401, 403, 422)},
    summary="Reorder your albums",
)
def albums_order(request: HttpRequest, payload: OrderIn) -> Status[None]:
    """`ids`: every album id of yours once, in the new order."""
    try:
        services.albums_reorder(user=current_user(request), album_ids=payload.ids)
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(204, None)


@albums.get(
    "/{album_id}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: AlbumDetailOut, **error_responses(401, 404, 422)},
    summary="One album, with the projects you may see",
)
def album_get(request: HttpRequest, album_id: SnowflakeId) -> dict[str, Any]:
    return _album(request, album_id)


@albums.put(
    "/{album_id}",
    response={200: AlbumDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Rename or describe your album",
)
def album_update(request: HttpRequest, album_id: SnowflakeId, payload: AlbumIn) -> dict[str, Any]:
    try:
        services.album_update(user=current_user(request), album_id=album_id, **payload.dict())
    except ValidationError as error:
        raise _invalid(error) from None
    return _album(request, album_id)


@albums.delete(
    "/{album_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete your album (its projects stay)",
)
def album_delete(request: HttpRequest, album_id: SnowflakeId) -> Status[None]:
    services.album_delete(user=current_user(request), album_id=album_id)
    return Status(204, None)


@albums.put(
    "/{album_id}/projects/{project_id}",
    response={200: AlbumDetailOut, **error_responses(401, 403, 404, 422)},
    summary="Add your project to your album",
)
def album_project_add(
    request: HttpRequest, album_id: SnowflakeId, project_id: SnowflakeId
) -> dict[str, Any]:
    """Idempotent; the project goes last."""
    services.album_project_add(user=current_user(request), album_id=album_id, project_id=project_id)
    return _album(request, album_id)


@albums.delete(
    "/{album_id}/projects/{project_id}",
    response={200: AlbumDetailOut, **error_responses(401, 403, 404, 422)},
    summary="Take a project out of your album",
)
def album_project_remove(
    request: HttpRequest, album_id: SnowflakeId, project_id: SnowflakeId
) -> dict[str, Any]:
    services.album_project_remove(
        user=current_user(request), album_id=album_id, project_id=project_id
    )
    return _album(request, album_id)


@albums.put(
    "/{album_id}/project-order",
    response={200: AlbumDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Reorder the projects in your album",
)
def album_projects_order(
    request: HttpRequest, album_id: SnowflakeId, payload: OrderIn
) -> dict[str, Any]:
    try:
        services.album_projects_reorder(
            user=current_user(request), album_id=album_id, project_ids=payload.ids
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _album(request, album_id)


@albums.put(
    "/{album_id}/cover",
    response={200: AlbumDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Choose your album's cover project",
)
def album_cover(request: HttpRequest, album_id: SnowflakeId, payload: CoverIn) -> dict[str, Any]:
    services.album_cover_set(user=current_user(request), album_id=album_id, project_id=payload.id)
    return _album(request, album_id)
