"""Upload page and endpoint, status partials, the variant-serving view and the verify page."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts.models import User
from impasto.imaging import access, selectors, services, uploads, uses
from impasto.imaging.acceptance import UploadRefused, refuse_too_large
from impasto.imaging.forms import OwnerWatermarkForm, UploadForm, VerifyForm
from impasto.imaging.models import EXTENSIONS, MediaAsset, MediaVariant, OwnerWatermark
from impasto.imaging.paths import variant_path
from impasto.protection.clients import client_key
from impasto.protection.decorators import image_protection, rate_limited

IMMUTABLE = "public, max-age=31536000, immutable"
VARIANT_CSP = "default-src 'none'; form-action 'none'; sandbox"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


_uploaded_path = uploads.uploaded_path


def _refusal_json(refusal: UploadRefused) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": refusal.code, "message": refusal.message}},
        status=refusal.status,
        headers=refusal.headers,
    )


def asset_json(asset: MediaAsset) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(asset.pk),
        "status": asset.status,
        "purpose": asset.purpose,
        "width": asset.width,
        "height": asset.height,
        "frames": asset.frames,
        "alt_text": asset.alt_text,
        "status_url": reverse("imaging:api-asset", args=[asset.pk]),
    }
    if asset.status == MediaAsset.Status.FAILED:
        data["failure_reason"] = asset.failure_reason
    if asset.status == MediaAsset.Status.READY:
        data.update(
            blurhash=asset.blurhash,
            dominant_color=asset.dominant_color,
            variants=[
                {
                    "url": variant_path(v.sha256, v.extension),
                    "format": v.format,
                    "width": v.width,
                    "height": v.height,
                    "kind": v.kind,
                    "animated": v.animated,
                }
                for v in asset.variants.all()
            ],
        )
    return data


# --- upload page (htmx) ---------------------------------------------------------------------


@login_required
@require_GET
def upload_page(request: HttpRequest) -> HttpResponse:
    assets = selectors.attach_cloak_states(selectors.assets_of_owner(owner=_user(request)))
    context = {"form": UploadForm(), "assets": assets, "idempotency_key": _new_key()}
    return render(request, "imaging/upload_page.html", context)


def _new_key() -> str:
    return secrets.token_urlsafe(16)


@csrf_exempt  # the body must not be parsed before our capped handler is installed
@require_POST
def upload_create(request: HttpRequest) -> HttpResponseBase:
    handler = uploads.install(request)
    return _upload_create(request, handler)


@csrf_protect
@login_required
def _upload_create(request: HttpRequest, handler: uploads.CappedUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    status = 400
    headers: dict[str, str] = {}
    if handler.too_large:
        form.is_valid()
        form.errors.clear()
        form.add_error("file", refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES).message)
        status = 413
    elif form.is_valid():
        path, temporary = _uploaded_path(form.cleaned_data["file"])
        try:
            asset, _created = services.asset_upload(
                owner=_user(request),
                path=path,
                purpose=form.cleaned_data["purpose"],
                source_type=form.cleaned_data["source_type"],
                alt_text=form.cleaned_data["alt_text"],
                idempotency_key=request.headers.get("Idempotency-Key", "")
                or request.POST.get("idempotency_key", ""),
                cloak_level=form.cleaned_data["cloak_level"],
                self_cloaked=form.cleaned_data["self_cloaked"],
            )
        except UploadRefused as refusal:
            form.add_error("file", refusal.message)
            status, headers = refusal.status, refusal.headers
        else:
            selectors.attach_cloak_states([asset])
            if request.headers.get("HX-Request") == "true":
                return render(
                    request, "imaging/_upload_result.html", {"asset": asset, "form": UploadForm()}
                )
            return redirect("imaging:upload")
        finally:
            if temporary:
                path.unlink(missing_ok=True)
    template = (
        "imaging/_upload_form.html"
        if request.headers.get("HX-Request") == "true"
        else "imaging/upload_page.html"
    )
    context = {
        "form": form,
        "assets": selectors.attach_cloak_states(selectors.assets_of_owner(owner=_user(request))),
        "idempotency_key": request.POST.get("idempotency_key") or _new_key(),
    }
    response = render(request, template, context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@login_required
@require_GET
def asset_status(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = selectors.asset_for_owner(asset_id=asset_id, owner=_user(request))
    if asset is None:
        raise Http404
    selectors.attach_cloak_states([asset])
    return render(request, "imaging/_asset.html", {"asset": asset})


@login_required
@require_POST
def asset_retry(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = selectors.asset_for_owner(asset_id=asset_id, owner=_user(request))
    if asset is None or asset.status != MediaAsset.Status.FAILED:
        raise Http404
    services.asset_reprocess(asset=asset)
    selectors.attach_cloak_states([asset])
    return render(request, "imaging/_asset.html", {"asset": asset})


@login_required
@require_http_methods(["GET", "POST"])
def asset_delete(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Delete one of your uploads for good, after a confirmation that says where it is still
    used (a project, a post, an appeal: taken out there first)."""
    asset = selectors.asset_for_owner(asset_id=asset_id, owner=_user(request))
    if asset is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            services.asset_delete(owner=_user(request), asset_id=asset.pk)
        except services.AssetInUse:
            error, status = _("This image is still in use: take it out of these first."), 409
        except ValidationError as refused:
            error, status = refused.messages[0], 409
        else:
            messages.success(
                request,
                _(
                    "The image is deleted. Its original and every size of it leave the server "
                    "within minutes."
                ),
            )
            return redirect("imaging:upload")
    context = {"asset": asset, "uses": uses.asset_uses(asset), "error": error}
    return render(request, "imaging/asset_delete.html", context, status=status)


# --- JSON endpoint --------------------------------------------------------------------------


@csrf_exempt
@require_POST
def api_upload(request: HttpRequest) -> HttpResponseBase:
    """POST an image (multipart field "file", or the raw body); Idempotency-Key for retries."""
    handler = uploads.install(request)
    return _api_upload(request, handler)


@csrf_protect
def _api_upload(request: HttpRequest, handler: uploads.CappedUploadHandler) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"error": {"code": "unauthenticated",
                                       "message": _("Log in to upload.")}}, status=401)  # fmt: skip
    path: Path | None = None
    temporary = True
    try:
        if request.content_type == "multipart/form-data":
            upload = request.FILES.get("file")  # parses the body through the capped handler
            if handler.too_large:
                raise refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES)
            if upload is None:
                raise UploadRefused("no_file", _("Send the image in a field named “file”."), 400)
            path, temporary = _uploaded_path(upload)
            fields = request.POST
        else:
            path = uploads.body_to_file(request)
            fields = request.GET
        asset, created = services.asset_upload(
            owner=_user(request),
            path=path,
            purpose=fields.get("purpose", "artwork"),
            source_type=fields.get("source_type", "digitalCreation"),
            alt_text=fields.get("alt_text", ""),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            cloak_level=fields.get("cloak_level", "off"),
            self_cloaked=fields.get("self_cloaked", "") in {"1", "true", "on"},
        )
    except UploadRefused as refusal:
        return _refusal_json(refusal)
    finally:
        if path is not None and temporary:
            path.unlink(missing_ok=True)
    return JsonResponse(asset_json(asset), status=201 if created else 200)


@login_required
@require_GET
def api_asset(request: HttpRequest, asset_id: int) -> JsonResponse:
    asset = selectors.asset_for_owner(asset_id=asset_id, owner=_user(request))
    if asset is None:
        raise Http404
    return JsonResponse(asset_json(asset))


# --- serving variants -----------------------------------------------------------------------


def _variant_client(request: HttpRequest) -> str:
    """The variants bucket's client: the account, else the address's /24 (or /64)."""
    return client_key(request, ipv4_prefix=settings.RATE_LIMIT_VARIANTS_IPV4_PREFIX)


def _width_allowed(request: HttpRequest, found: MediaVariant, ext: str) -> tuple[bool, int]:
    """Whether this viewer may fetch this width here; and the signed URL's expiry, if used.

    The owner fetches every width. Anonymous visitors get widths up to the anonymous cap;
    members up to the signed threshold with a plain URL, and wider only with a URL signed
    for them that has not expired (:mod:`impasto.imaging.access`)."""
    user = request.user
    if user.is_authenticated and user.pk == found.asset.owner_id:
        return True, 0
    if not user.is_authenticated:
        return found.width <= access.anonymous_max_width(), 0
    if not access.needs_signature(found.width):
        return True, 0
    checked = access.check_signature(
        sha256=found.sha256,
        ext=ext,
        user_id=user.pk,
        exp=request.GET.get("exp", ""),
        sig=request.GET.get("sig", ""),
    )
    return checked.valid, checked.expires


@require_GET
@image_protection(bucket="variants", key=_variant_client)
def variant(request: HttpRequest, sha256: str, ext: str) -> HttpResponseBase:
    """A display variant by its content hash: 404 unless the viewer may see it at this width.

    Hot-linking is refused and every request spends a token of the client's "variants"
    bucket (429 with Retry-After past it) before the database is asked anything."""
    found = selectors.variant_for_url(sha256=sha256, viewer=request.user)
    if found is None or EXTENSIONS[found.format] != ext:
        raise Http404
    allowed, signed_until = _width_allowed(request, found, ext)
    if not allowed:
        raise Http404
    response: HttpResponseBase
    mode = settings.IMPASTO_MEDIA_SENDFILE
    if mode:
        response = HttpResponse(content_type=found.content_type)
        internal = settings.IMPASTO_MEDIA_SENDFILE_PREFIX.rstrip("/") + "/" + found.key
        if mode == "x-accel-redirect":
            response["X-Accel-Redirect"] = internal
        else:
            response["X-Sendfile"] = str(Path(storages["default"].path(found.key)))
    else:
        response = FileResponse(
            storages["default"].open(found.key, "rb"), content_type=found.content_type
        )
        response["Content-Length"] = str(found.bytes)
    # Content-addressed and immutable: cacheable for a year. A variant of a work that is not
    # public is private to its owner, so shared caches must not keep it.
    # Widths above the anonymous cap depend on who asks: never in a shared cache.
    public = (
        found.asset.status == MediaAsset.Status.READY
        and found.asset.owner.is_public
        and found.width <= access.anonymous_max_width()
    )
    if public:
        response["Cache-Control"] = IMMUTABLE
    elif signed_until:
        remaining = max(0, min(3600, signed_until - int(time.time())))
        response["Cache-Control"] = f"private, max-age={remaining}"
    else:
        response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = f'"{found.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = VARIANT_CSP
    response["Content-Disposition"] = f'inline; filename="{found.asset_id}-{found.width}.{ext}"'
    response["Cross-Origin-Resource-Policy"] = "same-site"
    return response


# --- verify page and visible watermark settings ------------------------------------------------


@login_required
@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    return render(request, "imaging/verify_page.html", {"form": VerifyForm()})


@csrf_exempt
@require_POST
@rate_limited("uploads")  # it decodes the file as an upload does: the same bucket, spent first
def verify_submit(request: HttpRequest) -> HttpResponseBase:
    handler = uploads.install(request)
    return _verify_submit(request, handler)


@csrf_protect
@login_required
def _verify_submit(request: HttpRequest, handler: uploads.CappedUploadHandler) -> HttpResponse:
    """Check a suspected copy: the report, the nearest of the artist's own works, and the
    plain-text summary for a takedown request ("download" answers with it as a .txt file).

    The file is read through the upload's acceptance rules (size cap while streaming,
    sniffing, header caps) and decoded in the sandbox; it is never stored: Django deletes the
    temporary upload at the end of the request, and our own copy is deleted here."""
    form = VerifyForm(request.POST, request.FILES)
    check = None
    status = 400
    if handler.too_large:
        form.is_valid()
        form.add_error(None, refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES).message)
        status = 413
    elif form.is_valid():
        path, temporary = _uploaded_path(form.cleaned_data["file"])
        try:
            check = services.copy_verify(owner=_user(request), path=path)
            status = 200
        except UploadRefused as refusal:
            form.add_error("file", refusal.message)
            status = refusal.status
        finally:
            if temporary:
                path.unlink(missing_ok=True)
    if check is not None and "download" in request.POST:
        response = HttpResponse(check.summary, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="impasto-provenance-report.txt"'
        response["Cache-Control"] = "no-store"
        return response
    import json

    context = {
        "form": form,
        "check": check,
        "report": check.report if check else None,
        "report_json": json.dumps(check.report, indent=2) if check else "",
    }
    response = render(request, "imaging/verify_page.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def watermark_settings(request: HttpRequest) -> HttpResponse:
    instance = OwnerWatermark.objects.filter(owner=_user(request)).first()
    form = OwnerWatermarkForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.owner_watermark_update(
            owner=_user(request),
            enabled=form.cleaned_data["enabled"],
            text=form.cleaned_data["text"],
            position=form.cleaned_data["position"],
            opacity=form.cleaned_data["opacity"],
        )
        return redirect("imaging:watermark")
    status = 400 if request.method == "POST" else 200
    return render(request, "imaging/watermark_page.html", {"form": form}, status=status)
