"""Portfolio pages: the Portfolio profile tab, the project page, creating and editing projects
(images added through the imaging pipeline, reordered by drag and drop or move buttons)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts.models import User
from impasto.accounts.navigation import ProfileTabContent
from impasto.art import selectors, services
from impasto.art.forms import (
    AlbumForm,
    CloakForm,
    ImageEditForm,
    ImageUploadForm,
    LayoutForm,
    ProjectForm,
)
from impasto.art.models import Project
from impasto.art.vocab import FIELD_CHOICES, Medium, Software
from impasto.feeds.models import MatureMode
from impasto.feeds.selectors import feed_filters_of
from impasto.imaging import uploads
from impasto.imaging.acceptance import UploadRefused, refuse_too_large
from impasto.imaging.models import MediaAsset
from impasto.social.selectors.relations import viewer_from_request

FIELD_LABELS = dict(FIELD_CHOICES)


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


class BadCursor(Exception):
    pass


def _cursor(request: HttpRequest) -> int | None:
    raw = request.GET.get("before")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 19:
        raise BadCursor(raw)
    return int(raw)


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- the profile tab ------------------------------------------------------------------------


def portfolio_tab(request: HttpRequest, person: User) -> ProfileTabContent:
    """Covers of the person's projects (pinned first), in their chosen layout."""
    try:
        before = _cursor(request)
    except BadCursor:
        message = _("This page link is broken. Go back to the first page.")
        return ProfileTabContent(
            "art/_problem.html", {"message": message}, partial=True, status=400
        )
    portfolio = selectors.portfolio_of(viewer_from_request(request), person, before=before)
    next_url = ""
    if portfolio.page.next_cursor is not None:
        next_url = f"{request.path}?before={portfolio.page.next_cursor}"
    context = {
        "art_portfolio": portfolio,
        "art_next_url": next_url,
        "art_layout_form": LayoutForm(initial={"layout": portfolio.layout}),
    }
    if _is_htmx(request) and before is not None:
        return ProfileTabContent("art/_project_cards.html", context, partial=True)
    return ProfileTabContent("art/profile_portfolio.html", context)


@login_required
@require_POST
def layout_update(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form = LayoutForm(request.POST)
    if form.is_valid():
        services.portfolio_layout_set(user=user, layout=form.cleaned_data["layout"])
        messages.success(request, _("Portfolio layout saved."))
    return redirect("accounts:profile", handle=user.handle)


# --- the project page -----------------------------------------------------------------------


def _labels(project: Project) -> dict[str, list[str]]:
    mediums, software = dict(Medium.choices), dict(Software.choices)
    return {
        "fields": [str(FIELD_LABELS.get(k, k)) for k in project.fields],
        "mediums": [str(mediums.get(k, k)) for k in project.mediums],
        "software": [str(software.get(k, k)) for k in project.software],
    }


@require_GET
def project_detail(request: HttpRequest, handle: str, project_id: int) -> HttpResponse:
    project = selectors.project_for_viewer(viewer_from_request(request), project_id)
    if project.owner.handle != handle:
        return redirect("art:project-detail", handle=project.owner.handle, project_id=project.pk)
    viewer = viewer_from_request(request)
    is_owner = request.user.pk == project.owner_id
    context = {
        "project": project,
        "labels": _labels(project),
        "is_owner": is_owner,
        "mature_gate": project.mature and not is_owner and not _shows_mature(request),
        "liked": selectors.liked_by(viewer, project),
        "comments": selectors.project_comments(viewer, project),
    }
    return render(request, "art/project_detail.html", context)


def _shows_mature(request: HttpRequest) -> bool:
    """The reader asked to see this mature work (``?mature=show``, the warning's link), or
    set their mature-work preference to "show"."""
    if request.GET.get("mature") == "show":
        return True
    user = request.user if request.user.is_authenticated else None
    return feed_filters_of(user).mature == MatureMode.SHOW


# --- creating and editing -------------------------------------------------------------------


def _details(form: ProjectForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "fields": data["work_fields"],
        "mediums": data["mediums"],
        "software": data["software"],
        "tags": form.tag_list(),
        "mature": data["mature"],
        "no_ai_declared": data["no_ai_declared"],
        "visibility": data["visibility"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(owner=user, **_details(form))  # type: ignore[arg-type]
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Project created. Now add its images."))
            return redirect(reverse("art:project-edit", args=[project.pk]) + "#images")
    status = 400 if request.method == "POST" else 200
    return render(request, "art/project_form.html", {"form": form, "project": None}, status=status)


def _edit_context(request: HttpRequest, project: Project, **extra: object) -> dict[str, object]:
    images = list(project.images.all())
    return {
        "project": project,
        "albums": selectors.own_albums(project.owner),
        "album_ids": selectors.album_ids_of_project(project),
        "images": images,
        "any_processing": any(i.asset.status == MediaAsset.Status.PROCESSING for i in images),
        "upload_form": ImageUploadForm(),
        "cloak_form": CloakForm(initial={"level": project.cloak_level}),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _member(request)
    project = selectors.project_for_owner(user, project_id)
    if request.method == "POST":
        form = ProjectForm(request.POST)
        if form.is_valid():
            try:
                services.project_update(user=user, project_id=project.pk, **_details(form))  # type: ignore[arg-type]
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                if project.visibility == "draft" and form.cleaned_data["visibility"] != "draft":
                    # Just published: the project page offers to share it as a post.
                    messages.success(request, _("Published. You can share it as a post now."))
                    return redirect("art:project-detail", handle=user.handle, project_id=project.pk)
                messages.success(request, _("Project saved."))
                return redirect("art:project-edit", project_id=project.pk)
        context = _edit_context(request, project, form=form)
        return render(request, "art/project_form.html", context, status=400)
    context = _edit_context(request, project, form=ProjectForm.for_project(project))
    return render(request, "art/project_form.html", context)


@login_required
@require_POST
def project_cloak(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's cloak level (off, low, default, high) for all its images."""
    user = _member(request)
    project = selectors.project_for_owner(user, project_id)  # 404 first
    form = CloakForm(request.POST)
    if not form.is_valid():
        context = _edit_context(request, project, form=ProjectForm.for_project(project))
        context["cloak_form"] = form
        return render(request, "art/project_form.html", context, status=400)
    services.project_cloak_set(user=user, project_id=project.pk, level=form.cleaned_data["level"])
    if form.cleaned_data["level"] == "off":
        messages.success(request, _("Protection off: the images are shown as uploaded."))
    else:
        messages.success(request, _("Protection saved; the images are being cloaked."))
    return redirect(reverse("art:project-edit", args=[project.pk]) + "#protection")


def _images_answer(
    request: HttpRequest, project_id: int, *, status: int = 200, **extra: object
) -> HttpResponse:
    """The image list partial for htmx; otherwise back to the edit page."""
    if _is_htmx(request):
        project = selectors.project_for_owner(_member(request), project_id)
        return render(
            request, "art/_image_list.html", _edit_context(request, project, **extra), status=status
        )
    for error in extra.get("image_errors", []) or []:  # type: ignore[attr-defined]
        messages.error(request, error)
    return redirect(reverse("art:project-edit", args=[project_id]) + "#images")


@login_required
@require_GET
def image_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_for_owner(_member(request), project_id)
    return render(request, "art/_image_list.html", _edit_context(request, project))


def _uploaded_path(upload: UploadedFile) -> tuple[Path, bool]:
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path()), False
    import tempfile

    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name), True


@csrf_exempt  # the body must not be parsed before imaging's capped handler is installed
@require_POST
def image_upload(request: HttpRequest, project_id: int) -> HttpResponseBase:
    handler = uploads.install(request)
    return _image_upload(request, project_id, handler)


@csrf_protect
@login_required
def _image_upload(
    request: HttpRequest, project_id: int, handler: uploads.CappedUploadHandler
) -> HttpResponse:
    user = _member(request)
    selectors.project_for_owner(user, project_id)  # 404 first
    if handler.too_large:
        message = refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES).message
        return _images_answer(request, project_id, status=413, image_errors=[message])
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [f"{form.fields[k].label}: {e}" for k, v in form.errors.items() for e in v]
        return _images_answer(request, project_id, status=400, image_errors=errors, upload=form)
    path, temporary = _uploaded_path(form.cleaned_data["file"])
    try:
        services.project_image_upload(
            user=user,
            project_id=project_id,
            path=path,
            alt_text=form.cleaned_data["alt_text"],
            caption=form.cleaned_data["caption"],
            source_type=form.cleaned_data["source_type"],
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            self_cloaked=form.cleaned_data["self_cloaked"],
        )
    except UploadRefused as refusal:
        answer = _images_answer(
            request, project_id, status=refusal.status, image_errors=[refusal.message]
        )
        if answer.status_code == refusal.status:  # not the redirect of a plain form
            for name, value in refusal.headers.items():
                answer[name] = value
        return answer
    except ValidationError as error:
        return _images_answer(request, project_id, status=400, image_errors=_errors(error))
    finally:
        if temporary:
            path.unlink(missing_ok=True)
    if not _is_htmx(request):
        messages.success(request, _("Image added; it is being prepared."))
    return _images_answer(request, project_id)


@login_required
@require_POST
def image_update(request: HttpRequest, project_id: int, image_id: int) -> HttpResponse:
    selectors.project_for_owner(_member(request), project_id)  # 404 before any form error
    form = ImageEditForm(request.POST)
    if not form.is_valid():
        errors = [f"{form.fields[k].label}: {e}" for k, v in form.errors.items() for e in v]
        return _images_answer(request, project_id, status=400, image_errors=errors)
    try:
        services.project_image_update(
            user=_member(request),
            project_id=project_id,
            image_id=image_id,
            alt_text=form.cleaned_data["alt_text"],
            caption=form.cleaned_data["caption"],
        )
    except ValidationError as error:
        return _images_answer(request, project_id, status=400, image_errors=_errors(error))
    if not _is_htmx(request):
        messages.success(request, _("Image details saved."))
    return _images_answer(request, project_id)


@login_required
@require_POST
def image_move(request: HttpRequest, project_id: int, image_id: int) -> HttpResponse:
    selectors.project_for_owner(_member(request), project_id)  # 404 before any form error
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return _images_answer(request, project_id, status=400)
    services.project_image_move(
        user=_member(request), project_id=project_id, image_id=image_id, offset=offset
    )
    return _images_answer(request, project_id)


@login_required
@require_POST
def image_order(request: HttpRequest, project_id: int) -> HttpResponse:
    selectors.project_for_owner(_member(request), project_id)  # 404 before any form error
    raw = request.POST.get("order", "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
        services.project_images_reorder(user=_member(request), project_id=project_id, image_ids=ids)
    except (ValueError, ValidationError):
        return _images_answer(
            request, project_id, status=400, image_errors=[_("The new order was not understood.")]
        )
    return _images_answer(request, project_id)


@login_required
@require_POST
def image_cover(request: HttpRequest, project_id: int, image_id: int) -> HttpResponse:
    services.project_cover_set(user=_member(request), project_id=project_id, image_id=image_id)
    return _images_answer(request, project_id)


@login_required
@require_POST
def image_remove(request: HttpRequest, project_id: int, image_id: int) -> HttpResponse:
    try:
        services.project_image_remove(
            user=_member(request), project_id=project_id, image_id=image_id
        )
    except ValidationError as error:
        return _images_answer(request, project_id, status=400, image_errors=_errors(error))
    return _images_answer(request, project_id)


@login_required
@require_POST
def project_pin(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _member(request)
    pinned = request.POST.get("pinned") == "1"
    try:
        services.project_pin(user=user, project_id=project_id, pinned=pinned)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("Pinned to your profile.") if pinned else _("Unpinned."))
    project = selectors.project_for_owner(user, project_id)
    return redirect("art:project-detail", handle=user.handle, project_id=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _member(request)
    project = selectors.project_for_owner(user, project_id)
    if request.method == "POST":
        services.project_delete(user=user, project_id=project.pk)
        messages.success(request, _("Project deleted."))
        return redirect("accounts:profile", handle=user.handle)
    return render(request, "art/project_delete.html", {"project": project})


# --- albums ---------------------------------------------------------------------------------


def albums_tab(request: HttpRequest, person: User) -> ProfileTabContent:
    cards = selectors.albums_of(viewer_from_request(request), person)
    return ProfileTabContent("art/profile_albums.html", {"art_albums": cards})


@require_GET
def album_detail(request: HttpRequest, handle: str, album_id: int) -> HttpResponse:
    view = selectors.album_for_viewer(viewer_from_request(request), album_id)
    if view.album.owner.handle != handle:
        return redirect("art:album-detail", handle=view.album.owner.handle, album_id=album_id)
    context = {
        "album": view.album,
        "art_portfolio": {"projects": view.projects},
        "is_owner": request.user.pk == view.album.owner_id,
        "layout": "grid",
    }
    return render(request, "art/album_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def album_create(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    form = AlbumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            album = services.album_create(owner=user, **form.cleaned_data)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Album created. Add projects to it."))
            return redirect("art:album-edit", album_id=album.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "art/album_form.html", {"form": form, "album": None}, status=status)


def _album_edit_context(user: User, album_id: int, **extra: object) -> dict[str, object]:
    view = selectors.album_for_owner(user, album_id)
    return {
        "album": view.album,
        "projects": view.projects,
        "addable": selectors.own_projects_outside(user, view.album),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def album_edit(request: HttpRequest, album_id: int) -> HttpResponse:
    user = _member(request)
    view = selectors.album_for_owner(user, album_id)
    if request.method == "POST":
        form = AlbumForm(request.POST)
        if form.is_valid():
            try:
                services.album_update(user=user, album_id=album_id, **form.cleaned_data)
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Album saved."))
                return redirect("art:album-edit", album_id=album_id)
        return render(
            request,
            "art/album_form.html",
            _album_edit_context(user, album_id, form=form),
            status=400,
        )
    form = AlbumForm(initial={"title": view.album.title, "description": view.album.description})
    return render(request, "art/album_form.html", _album_edit_context(user, album_id, form=form))


def _album_answer(request: HttpRequest, album_id: int, status: int = 200) -> HttpResponse:
    if _is_htmx(request):
        context = _album_edit_context(_member(request), album_id)
        return render(request, "art/_album_projects.html", context, status=status)
    return redirect(reverse("art:album-edit", args=[album_id]) + "#album-projects")


def _project_id(request: HttpRequest) -> int:
    raw = request.POST.get("project", "")
    if not raw.isdigit() or len(raw) > 19:
        raise Http404("No such project.")
    return int(raw)


@login_required
@require_POST
def album_project_add(request: HttpRequest, album_id: int) -> HttpResponse:
    services.album_project_add(
        user=_member(request), album_id=album_id, project_id=_project_id(request)
    )
    return _album_answer(request, album_id)


@login_required
@require_POST
def album_project_action(request: HttpRequest, album_id: int, project_id: int) -> HttpResponse:
    """Move up/down, make cover or remove one project of an album (one form, several buttons)."""
    user = _member(request)
    selectors.album_owned_or_404(user, album_id)  # 404 before any form error
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        services.album_project_move(
            user=user, album_id=album_id, project_id=project_id, offset=-1 if action == "up" else 1
        )
    elif action == "cover":
        services.album_cover_set(user=user, album_id=album_id, project_id=project_id)
    elif action == "remove":
        services.album_project_remove(user=user, album_id=album_id, project_id=project_id)
    else:
        return _album_answer(request, album_id, status=400)
    return _album_answer(request, album_id)


@login_required
@require_POST
def album_move(request: HttpRequest, album_id: int) -> HttpResponse:
    user = _member(request)
    selectors.album_owned_or_404(user, album_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is not None:
        services.album_move(user=user, album_id=album_id, offset=offset)
    return redirect("accounts:profile-tab", handle=user.handle, tab="albums")


@login_required
@require_http_methods(["GET", "POST"])
def album_delete(request: HttpRequest, album_id: int) -> HttpResponse:
    user = _member(request)
    view = selectors.album_for_owner(user, album_id)
    if request.method == "POST":
        services.album_delete(user=user, album_id=album_id)
        messages.success(request, _("Album deleted; its projects stay in your portfolio."))
        return redirect("accounts:profile-tab", handle=user.handle, tab="albums")
    return render(request, "art/album_delete.html", {"album": view.album})


@login_required
@require_POST
def project_albums(request: HttpRequest, project_id: int) -> HttpResponse:
    """The albums a project is in (checkboxes on the project's edit page)."""
    ids = [int(v) for v in request.POST.getlist("albums") if v.isdigit() and len(v) <= 19]
    services.project_albums_set(user=_member(request), project_id=project_id, album_ids=ids)
    messages.success(request, _("Albums saved."))
    return redirect(reverse("art:project-edit", args=[project_id]) + "#albums")


# --- likes, comments, sharing ---------------------------------------------------------------


def _project_url(project: Project) -> str:
    return reverse(
        "art:project-detail", kwargs={"handle": project.owner.handle, "project_id": project.pk}
    )


@login_required
@require_POST
def project_like(request: HttpRequest, project_id: int) -> HttpResponse:
    """Like or unlike (``liked`` = 1 or 0): the button swaps in place with htmx."""
    user = _member(request)
    liked = request.POST.get("liked") == "1"
    service = services.project_like if liked else services.project_unlike
    project = service(user=user, project_id=project_id)
    if _is_htmx(request):
        return render(request, "art/_like_button.html", {"project": project, "liked": liked})
    project = selectors.project_for_viewer(viewer_from_request(request), project_id)
    return redirect(_project_url(project))


@login_required
@require_POST
def comment_create(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _member(request)
    try:
        comment = services.comment_create(
            user=user, project_id=project_id, body=request.POST.get("body", "")
        )
    except ValidationError as error:
        if _is_htmx(request):
            response = render(
                request, "art/_problem.html", {"message": " ".join(_errors(error))}, status=422
            )
            response["HX-Retarget"] = "#comment-errors"
            response["HX-Reswap"] = "innerHTML"
            return response
        messages.error(request, " ".join(_errors(error)))
        project = selectors.project_for_viewer(viewer_from_request(request), project_id)
        return redirect(_project_url(project) + "#comments")
    comment = selectors.comment_for_viewer(viewer_from_request(request), comment.pk)
    if _is_htmx(request):
        return render(
            request, "art/_comment.html", {"comment": comment, "project": comment.project}
        )
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = _member(request)
    comment = selectors.comment_for_viewer(viewer_from_request(request), comment_id)
    services.comment_delete(user=user, comment_id=comment.pk)
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("Comment deleted."))
    return redirect(_project_url(comment.project) + "#comments")


@login_required
@require_POST
def project_share(request: HttpRequest, project_id: int) -> HttpResponse:
    """Share one's published project as a post, then show the post."""
    user = _member(request)
    try:
        post = services.project_share(
            user=user, project_id=project_id, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
        return redirect("art:project-edit", project_id=project_id)
    messages.success(request, _("Shared as a post."))
    return redirect("social:post-detail", handle=user.handle, post_id=post.pk)
