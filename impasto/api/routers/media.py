"""Media: /api/v1/media. Upload an image (then attach it to a post), and follow its processing.

Uploads go through ``impasto.imaging``'s own upload service (``asset_upload``): the same
acceptance rules, private original, processing task and ``Idempotency-Key`` as the web.
The body is streamed to disk under the size cap by imaging's capped upload handler, which
this router puts in place before anything reads the body (a router decorator runs first).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Status

from impasto.api.auth import current_user
from impasto.api.errors import ApiError, RateLimited, error_responses
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.media import MediaOut, media_out
from impasto.imaging import selectors, services, uploads
from impasto.imaging.acceptance import UploadRefused, refuse_too_large
from impasto.imaging.models import Purpose, SourceType

router = Router(tags=["media"])

HANDLER_ATTRIBUTE = "_impasto_upload_handler"


def _capped_body(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Install the capped upload handler before authentication or validation read the body."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            setattr(request, HANDLER_ATTRIBUTE, uploads.install(request))
        return run(request, *args, **kwargs)

    return wrapper


router.add_decorator(_capped_body, mode="view")

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "JPEG, PNG/APNG, GIF, WebP, AVIF or HEIC; the "
                            "format is read from the bytes, never the name.",
                        },
                        "purpose": {
                            "type": "string",
                            "enum": list(Purpose.values),
                            "default": Purpose.POST,
                            "description": "Decides the variants: post and artwork keep the "
                            "shape, avatar is square, banner 3:1.",
                        },
                        "source_type": {
                            "type": "string",
                            "enum": list(SourceType.values),
                            "default": SourceType.DIGITAL_CREATION,
                            "description": "How the work was made (stamped into every "
                            "variant's rights metadata).",
                        },
                    },
                }
            }
        },
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 128},
            "description": "Send the same key when retrying an upload: the first asset comes "
            "back (200) instead of a second one.",
        }
    ],
}


def _refused(refusal: UploadRefused) -> ApiError:
    return ApiError(
        refusal.message, errors=[{"field": "file", "message": refusal.message}],
        status=refusal.status,
    )  # fmt: skip


@router.post(
    "",
    response={201: MediaOut, 200: MediaOut, **error_responses(400, 401, 403, 413, 415, 422)},
    openapi_extra=UPLOAD_BODY,
    summary="Upload an image",
)
def media_upload(request: HttpRequest) -> Status[dict[str, Any]]:
    """A multipart body with the image in `file`. 201 with the new image, `processing`; 200
    with the first one for a retried `Idempotency-Key`. Then pass its `id` in a post's
    `images`. Refusals say why in words: 413 too large, 415 not an accepted image format,
    422 damaged or over a size, frame or metadata cap; nothing is stored."""
    user = current_user(request)
    handler: uploads.CappedUploadHandler | None = getattr(request, HANDLER_ATTRIBUTE, None)
    if request.content_type != "multipart/form-data":
        raise ApiError(
            _("Send the image as multipart/form-data, in a field named “file”."),
            errors=[{"field": "file", "message": _("Missing.")}],
            status=415,
        )
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 128:
        raise ApiError(
            _("Some values are not valid."),
            errors=[{"field": "Idempotency-Key", "message": _("At most 128 characters.")}],
            status=422,
        )
    path: Path | None = None
    temporary = False
    try:
        upload = request.FILES.get("file")  # parsed through the capped handler
        if handler is not None and handler.too_large:
            raise _refused(refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES))
        if upload is None:
            raise ApiError(
                _("Send the image in a field named “file”."),
                errors=[{"field": "file", "message": _("Missing.")}],
                status=422,
            )
        path, temporary = uploads.uploaded_path(upload)
        asset, created = services.asset_upload(
            owner=user,
            path=path,
            purpose=request.POST.get("purpose") or Purpose.POST,
            source_type=request.POST.get("source_type") or SourceType.DIGITAL_CREATION,
            idempotency_key=key,
        )
    except UploadRefused as refusal:
        if refusal.status == 429:  # too many uploads for now: with Retry-After
            raise RateLimited(refusal.message, retry_after=refusal.retry_after) from None
        status = 422 if refusal.status == 400 else refusal.status
        raise _refused(UploadRefused(refusal.code, refusal.message, status)) from None
    finally:
        if path is not None and temporary:
            path.unlink(missing_ok=True)
    fresh = selectors.asset_for_owner(asset_id=asset.pk, owner=user)
    return Status(201 if created else 200, media_out(fresh or asset))


@router.get(
    "/{media_id}",
    response={200: MediaOut, **error_responses(401, 404, 422)},
    summary="One of your images",
)
def media_get(request: HttpRequest, media_id: SnowflakeId) -> dict[str, Any]:
    """Your own uploads only (404 otherwise): poll this until `status` is `ready` or `failed`."""
    asset = selectors.asset_for_owner(asset_id=media_id, owner=current_user(request))
    if asset is None:
        raise ApiError(_("Not found."), status=404)
    return media_out(asset)


@router.delete(
    "/{media_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Delete one of your images",
)
def media_delete(request: HttpRequest, media_id: SnowflakeId) -> Status[None]:
    """Your own uploads only (404 otherwise). The image is deleted for good: its original and
    every size of it leave the server within minutes. 409 while it is processing, or while a
    project, a post or an appeal still shows it (`detail` names them): take it out there first
    (a post is deleted whole)."""
    try:
        found = services.asset_delete(owner=current_user(request), asset_id=media_id)
    except services.AssetInUse as in_use:
        where = "; ".join(use.label for use in in_use.uses)
        raise ApiError(f"{in_use} {where}", status=409) from None
    except ValidationError as refused:
        raise ApiError(refused.messages[0], status=409) from None
    if not found:
        raise ApiError(_("Not found."), status=404)
    return Status(204, None)
