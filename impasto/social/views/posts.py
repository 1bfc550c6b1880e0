"""Posts: the post page with its thread, compose (reply, quote), edit and its history, delete,
likes, reposts and bookmarks, the bookmarks page and tag pages."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts.models import User
from impasto.imaging import services as imaging_services
from impasto.imaging import uploads
from impasto.imaging.acceptance import UploadRefused, inspect_file, refuse_too_large
from impasto.imaging.models import Purpose
from impasto.social.forms import ChosenImage, PostEditForm, PostForm
from impasto.social.models import Post
from impasto.social.models.attachments import MAX_ATTACHMENTS
from impasto.social.pagination import Page
from impasto.social.selectors.posts import (
    PostView,
    bookmarks_page,
    post_revisions,
    post_thread,
    post_view_for_viewer,
    posts_with_tag,
    tag_by_name,
)
from impasto.social.selectors.relations import social_settings_of
from impasto.social.services import posts as post_services
from impasto.social.services import reactions
from impasto.social.services.attachments import AttachmentSpec, attachment_alt_text_update
from impasto.social.templatetags.social import post_url
from impasto.social.text import normalize_tag
from impasto.social.views._common import (
    BadRequest,
    cursor,
    done,
    form_invalid,
    friendly,
    int_param,
    is_htmx,
    member,
    member_required,
    next_page_url,
    safe_next,
    validation_message,
    viewer,
)
from impasto.social.visibility import Visibility

# --- reading -------------------------------------------------------------------------------


@require_GET
@friendly
def post_detail(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    """A post with the thread around it: ancestors above, replies below, a reply form."""
    v = viewer(request)
    thread = post_thread(v, post_id)
    focus = thread.focus.subject
    if focus.author.handle != handle:
        return redirect(post_url(focus), permanent=True)
    context: dict[str, Any] = {"thread": thread, "focus": thread.focus}
    if v.user is not None:
        context["reply_form"] = _reply_form(focus)
    return render(request, "social/post_detail.html", context)


def _reply_form(parent: Post, data: Any = None) -> PostForm:
    # A reply goes to the parent's audience at most: a reply to a followers-only post is one too.
    form = PostForm(
        data,
        initial={"reply_to": parent.pk, "visibility": parent.visibility},
        auto_id="reply_%s",
    )
    form.fields["body"].label = _("Your reply")
    form.fields["body"].widget.attrs["rows"] = 3
    return form


@require_GET
def post_short(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/posts/<id>``: the post's own page, wherever it is (the address forms fall back to)."""
    post = post_view_for_viewer(viewer(request), post_id).subject
    return redirect(post_url(post))


@require_GET
@friendly
def post_history(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    """The earlier versions of an edited post's text, oldest first, then the current one."""
    v = viewer(request)
    view = post_view_for_viewer(v, post_id)
    if view.post.repost_of_id or view.subject.author.handle != handle:
        raise Http404("No such post.")
    return render(
        request,
        "social/post_history.html",
        {"view": view, "post": view.subject, "revisions": post_revisions(v, post_id)},
    )


@member_required
@require_GET
@friendly
def bookmarks(request: HttpRequest) -> HttpResponse:
    """The reader's bookmarks, most recent first (private: nobody else sees them)."""
    page = bookmarks_page(viewer(request), before=cursor(request))
    return _post_list(
        request,
        "social/bookmarks.html",
        page.items,
        next_page_url(request, page.next_cursor),
    )


@require_GET
@friendly
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Public posts with a hashtag, newest first (``#Café`` and ``#cafe`` are one tag)."""
    folded = normalize_tag(name)
    if not folded:
        raise Http404("No such tag.")
    if folded != name:
        return redirect("social:tag", name=folded, permanent=True)
    before = cursor(request)  # a broken link is a 400 even for a tag nobody used yet
    tag = tag_by_name(folded)
    page = posts_with_tag(viewer(request), tag, before=before) if tag else Page()
    return _post_list(
        request,
        "social/tag_detail.html",
        page.items,
        next_page_url(request, page.next_cursor),
        {"tag_name": tag.display_name if tag else name},
    )


def _post_list(
    request: HttpRequest,
    template: str,
    items: list[PostView],
    next_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"posts": items, "next_url": next_url, **(extra or {})}
    if is_htmx(request) and request.GET.get("before"):
        # "Load more": the next items and the next link, in place of the old link.
        return render(request, "social/_post_items.html", context)
    return render(request, template, context)


# --- writing -------------------------------------------------------------------------------


@csrf_exempt  # the body must not be parsed before the capped upload handler is in place
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponseBase:
    """Write a post, a reply (``reply_to``) or a quote post (``quote``), with up to 10 images.

    The page works as a plain (multipart) form; the reply form under a post posts here through
    htmx and gets the new reply back (or the form with its errors, what was typed kept).
    Images are streamed to disk under imaging's size cap before anything else reads the body.
    """
    handler = (
        uploads.install(request, max_files=MAX_ATTACHMENTS) if request.method == "POST" else None
    )
    return _post_create(request, handler)


@csrf_protect
@member_required
@friendly
def _post_create(request: HttpRequest, handler: uploads.CappedUploadHandler | None) -> HttpResponse:
    v = viewer(request)
    user = member(request)
    source = request.POST if request.method == "POST" else request.GET
    reply_to = int_param(source.get("reply_to"))
    quote_of = int_param(source.get("quote_of") or source.get("quote"))
    if reply_to and quote_of:
        raise BadRequest(_("A post can reply or quote, not both at once."))
    parent = post_view_for_viewer(v, reply_to) if reply_to else None
    quoted = post_view_for_viewer(v, quote_of) if quote_of else None
    if parent is not None and parent.post.repost_of_id:
        parent = post_view_for_viewer(v, parent.subject.pk)
    refusal = ""
    if quoted is not None and not quoted.can_quote:
        refusal = (
            _("@%(handle)s does not allow quotes of their posts.")
            % {"handle": quoted.subject.author.handle}
            if quoted.can_repost
            else _("Only public and unlisted posts can be quoted.")
        )
    context: dict[str, Any] = {"parent": parent, "quoted": quoted}
    if request.method != "POST":
        if refusal:
            raise PermissionDenied(refusal)
        default = Visibility.PUBLIC
        if parent is not None:
            default = Visibility(parent.subject.visibility)
        elif social_settings_of(user).locked:
            default = Visibility.FOLLOWERS
        context["form"] = PostForm(
            initial={
                "visibility": default,
                "reply_to": parent.subject.pk if parent else None,
                "quote_of": quoted.subject.pk if quoted else None,
                "upload_key": secrets.token_urlsafe(16),
            },
            with_images=True,
        )
        return render(request, "social/post_compose.html", context)

    htmx_reply = parent is not None and is_htmx(request)
    form = (
        _reply_form(parent.subject, request.POST)
        if htmx_reply and parent is not None
        else PostForm(request.POST, request.FILES, with_images=True)
    )
    context["form"] = form
    partial = "social/_reply_form.html" if parent is not None else None
    if parent is not None:
        context["focus"] = parent
    status = 400
    headers: dict[str, str] = {}  # Retry-After, when an image was refused for now only
    if handler is not None and handler.too_large:
        form.is_valid()
        form.add_error(None, refuse_too_large(settings.IMPASTO_UPLOAD_MAX_BYTES).message)
        status = 413
    elif refusal:
        # Checked again by the service; said here so the text that was typed is kept.
        form.add_error(None, refusal)
        status = 403
    elif form.is_valid():
        data = form.cleaned_data
        try:
            specs = _upload_images(user, data["images"], key=data.get("upload_key", ""))
            post = post_services.post_create(
                author=user,
                body=data["body"],
                content_warning=data["content_warning"],
                visibility=data["visibility"],
                reply_to_id=parent.subject.pk if parent else None,
                quote_of_id=quoted.subject.pk if quoted else None,
                attachments=specs,
            )
        except _ImageRefused as error:
            form.add_error(f"image_{error.slot}", error.refusal.message)
            status, headers = error.refusal.status, error.refusal.headers
        except ValidationError as error:
            form.add_error(None, validation_message(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            return _created(request, post, parent)
    response = form_invalid(
        request,
        "social/post_compose.html",
        context,
        partial=partial if htmx_reply else None,
        status=status,
        retarget="#reply-form" if htmx_reply else "",
    )
    for name, value in headers.items():
        response[name] = value
    return response


class _ImageRefused(Exception):
    def __init__(self, slot: int, refusal: UploadRefused) -> None:
        super().__init__(refusal.message)
        self.slot = slot
        self.refusal = refusal


def _upload_images(user: User, images: list[ChosenImage], *, key: str) -> list[AttachmentSpec]:
    """Every chosen image through imaging's upload service, in order (``purpose=post``).

    All files are checked (header only, no pixels) before any is stored, so a damaged third
    image leaves nothing behind; one refused for the upload rate limit (429) may leave the
    first ones stored, unattached. The form's ``upload_key`` makes a resubmission reuse what a
    first attempt stored (imaging's Idempotency-Key, one per slot), spending nothing again;
    what is never resubmitted goes with the hourly purge of uploads in no post
    (``services.attachments.unattached_uploads_purge``).
    """
    paths: list[tuple[Path, bool]] = []
    try:
        for image in images:
            paths.append(uploads.uploaded_path(image.file))
            try:
                inspect_file(paths[-1][0])
            except UploadRefused as refusal:
                raise _ImageRefused(image.slot, refusal) from None
        specs = []
        for image, (path, _temporary) in zip(images, paths, strict=True):
            try:
                asset, _created = imaging_services.asset_upload(
                    owner=user,
                    path=path,
                    purpose=Purpose.POST,
                    alt_text=image.alt_text,
                    idempotency_key=f"post-form:{key}:{image.slot}" if key else "",
                )
            except UploadRefused as refusal:
                raise _ImageRefused(image.slot, refusal) from None
            specs.append(AttachmentSpec(asset.pk, image.alt_text, image.decorative))
        return specs
    finally:
        for path, temporary in paths:
            if temporary:
                path.unlink(missing_ok=True)


def _created(request: HttpRequest, post: Post, parent: PostView | None) -> HttpResponse:
    if parent is not None and is_htmx(request):
        v = viewer(request)
        reply = post_view_for_viewer(v, post.pk)
        reply.depth = 1
        return done(
            request,
            _("Your reply is posted."),
            back=post_url(post),
            partial="social/_reply_created.html",
            context={
                "view": reply,
                # The post replied to, again: its reply count changed.
                "focus": post_view_for_viewer(v, parent.subject.pk),
                "reply_form": _reply_form(parent.subject),
                "back": safe_next(request, post_url(parent.subject)),
            },
        )
    message = _("Your reply is posted.") if parent else _("Your post is published.")
    return done(request, message, back=post_url(post))


def _own_post(request: HttpRequest, handle: str, post_id: int) -> PostView:
    view = post_view_for_viewer(viewer(request), post_id)
    if view.post.repost_of_id or view.subject.author.handle != handle:
        raise Http404("No such post.")
    if view.subject.author_id != member(request).pk:
        raise PermissionDenied(_("You can only change your own posts."))
    return view


@member_required
@require_http_methods(["GET", "POST"])
@friendly
def post_edit(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    """Change a post's text and content warning; the earlier version goes to its history.

    With htmx the form replaces the post where it stands and the saved post replaces the form.
    """
    view = _own_post(request, handle, post_id)
    post = view.subject
    if request.method == "POST":
        form = PostEditForm(request.POST, auto_id=f"edit{post.pk}_%s", attachments=view.attachments)
        if form.is_valid():
            try:
                post_services.post_edit(
                    author=member(request),
                    post_id=post.pk,
                    body=form.cleaned_data["body"],
                    content_warning=form.cleaned_data["content_warning"],
                )
                # Descriptions are improved in place (not versioned): checked by the form.
                for attachment, alt, decorative in form.cleaned_data["image_changes"]:
                    attachment_alt_text_update(
                        author=member(request),
                        attachment_id=attachment.pk,
                        alt_text=alt,
                        decorative=decorative,
                    )
            except ValidationError as error:
                form.add_error(None, validation_message(error))
            else:
                return done(
                    request,
                    _("Your post is updated."),
                    back=post_url(post),
                    partial="social/_post.html",
                    context={"view": post_view_for_viewer(viewer(request), post.pk)},
                )
    else:
        form = PostEditForm(
            initial={"body": post.body, "content_warning": post.content_warning},
            auto_id=f"edit{post.pk}_%s",
            attachments=view.attachments,
        )
    context = {"view": view, "post": post, "form": form}
    if request.method == "POST":
        return form_invalid(
            request, "social/post_edit.html", context, partial="social/_post_edit_form.html"
        )
    template = "social/_post_edit_form.html" if is_htmx(request) else "social/post_edit.html"
    return render(request, template, context)


@member_required
@require_http_methods(["GET", "POST"])
@friendly
def post_delete(request: HttpRequest, handle: str, post_id: int) -> HttpResponse:
    """Delete one's post, after a confirmation (a page, or a dialog on the page)."""
    view = _own_post(request, handle, post_id)
    if request.method != "POST":
        return render(request, "social/post_delete.html", {"view": view})
    post_services.post_delete(user=member(request), post_id=view.subject.pk)
    profile = reverse("accounts:profile", kwargs={"handle": handle})
    message = _("Your post is deleted.")
    if is_htmx(request):
        back = safe_next(request, "")
        if back == post_url(view.subject) or not back:
            # The page of the post itself is gone: leave it for the profile.
            messages.success(request, message)  # shown on the profile, after the redirect
            response = HttpResponse(status=200)
            response["HX-Redirect"] = profile
            return response
        return done(request, message, back=profile, partial="social/_post_deleted.html")
    return done(request, message, back=profile)


# --- reactions: like, bookmark, repost -----------------------------------------------------


def _reacted(request: HttpRequest, post_id: int, message: str) -> HttpResponse:
    """Answer a reaction: htmx gets the post's refreshed action bar, a form post goes back."""
    view = post_view_for_viewer(viewer(request), post_id)
    row = int_param(request.POST.get("row")) or view.post.pk
    return done(
        request,
        message,
        back=post_url(view.subject),
        partial="social/_post_actions.html",
        context={"view": view, "row": row, "back": safe_next(request, post_url(view.subject))},
    )


@member_required
@require_POST
@friendly
def post_like(request: HttpRequest, post_id: int) -> HttpResponse:
    like = reactions.post_like(user=member(request), post_id=post_id)
    return _reacted(request, like.post_id, "")


@member_required
@require_POST
@friendly
def post_unlike(request: HttpRequest, post_id: int) -> HttpResponse:
    reactions.post_unlike(user=member(request), post_id=post_id)
    return _reacted(request, post_id, "")


@member_required
@require_POST
@friendly
def post_bookmark(request: HttpRequest, post_id: int) -> HttpResponse:
    mark = reactions.post_bookmark(user=member(request), post_id=post_id)
    return _reacted(request, mark.post_id, _("Saved to your bookmarks."))


@member_required
@require_POST
@friendly
def post_unbookmark(request: HttpRequest, post_id: int) -> HttpResponse:
    reactions.post_unbookmark(user=member(request), post_id=post_id)
    return _reacted(request, post_id, _("Removed from your bookmarks."))


@member_required
@require_POST
@friendly
def post_repost(request: HttpRequest, post_id: int) -> HttpResponse:
    repost = post_services.repost_create(user=member(request), post_id=post_id)
    assert repost.repost_of_id is not None
    return _reacted(request, repost.repost_of_id, _("Reposted to your followers."))


@member_required
@require_POST
@friendly
def post_unrepost(request: HttpRequest, post_id: int) -> HttpResponse:
    user: User = member(request)
    original = post_view_for_viewer(viewer(request), post_id).subject
    post_services.repost_delete(user=user, post_id=original.pk)
    return _reacted(request, original.pk, _("Repost undone."))
