"""Profile pages and the settings pages of accounts; allauth serves the log-in flows."""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.account.stages import LoginStageController
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts import navigation, selectors, services
from impasto.accounts.forms import DeleteAccountForm, PictureForm, ProfileForm
from impasto.accounts.models import User
from impasto.accounts.stages import RestoreAccountStage
from impasto.accounts.validators import HANDLE_RE, normalize_handle
from impasto.core.errors import too_many_requests
from impasto.imaging.acceptance import UploadRefused

PICTURE_FIELDS = ("avatar", "banner")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- public profile --------------------------------------------------------------------------


@require_GET
def profile_detail(request: HttpRequest, handle: str, tab: str | None = None) -> HttpResponse:
    """The public profile: the header, then the tabs other apps declare (navigation.ProfileTab).

    The first tab is shown at /@handle, each tab at /@handle/<key> too. The apps' parts may
    answer 404 (a reader the person blocked, or who blocks them).
    """
    canonical = normalize_handle(handle)
    if canonical != handle and HANDLE_RE.fullmatch(canonical):
        if tab:
            return redirect("accounts:profile-tab", handle=canonical, tab=tab, permanent=True)
        return redirect("accounts:profile", handle=canonical, permanent=True)
    person = selectors.user_get_public(handle=handle)
    if person is None:
        raise Http404
    tabs = navigation.profile_tabs()
    current = next((t for t in tabs if t.key == tab), tabs[0]) if tabs else None
    content = navigation.profile_tab_content(current)(request, person) if current else None
    if content is not None and content.partial:
        return render(request, content.template, content.context, status=content.status)
    headers = [provider(request, person) for provider in navigation.profile_header_providers()]
    context: dict[str, Any] = {}
    for header in headers:
        context.update(header.context)
    if content is not None:
        context.update(content.context)
    context.update(
        {
            "person": person,
            "profile": person.profile,
            "is_owner": request.user.is_authenticated and request.user.pk == person.pk,
            "profile_headers": headers,
            "profile_tabs": [
                {
                    "key": t.key,
                    "label": t.label,
                    "url": reverse("accounts:profile", kwargs={"handle": person.handle})
                    if i == 0
                    else reverse(
                        "accounts:profile-tab", kwargs={"handle": person.handle, "tab": t.key}
                    ),
                    "current": t is current,
                }
                for i, t in enumerate(tabs)
            ],
            "profile_tab": content,
        }
    )
    return render(
        request,
        "accounts/profile_detail.html",
        context,
        status=content.status if content is not None else 200,
    )


@require_GET
def profile_picture(request: HttpRequest, handle: str, name: str) -> HttpResponseBase:
    """An avatar or banner, only while its account is public.

    The key is random and changes with every upload, so the picture can be cached; the hour
    limit makes a deleted account's pictures leave caches soon after its page.
    """
    person = selectors.user_get_public(handle=handle, with_fields=False)
    if person is None:
        raise Http404
    for field in PICTURE_FIELDS:
        stored = getattr(person.profile, field).name
        if stored and stored.rsplit("/", 1)[-1] == name:
            try:
                response = FileResponse(default_storage.open(stored, "rb"))
            except FileNotFoundError:
                raise Http404 from None
            response["Content-Type"] = "image/webp"
            response["Cache-Control"] = "public, max-age=3600"
            response["X-Robots-Tag"] = "noai, noimageai"
            return response
    raise Http404


# --- settings: profile -----------------------------------------------------------------------


def _render_profile_settings(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    picture_forms: dict[str, PictureForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    user = (
        User.objects.select_related("profile")
        .prefetch_related("profile__disciplines")
        .get(pk=user.pk)
    )
    forms = picture_forms or {}
    return render(
        request,
        "accounts/settings_profile.html",
        {
            "form": form or ProfileForm(initial=ProfileForm.initial_for(user)),
            "avatar_form": forms.get("avatar") or PictureForm(prefix="avatar"),
            "banner_form": forms.get("banner") or PictureForm(prefix="banner"),
            "person": user,
            "profile": user.profile,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_profile_settings(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.profile_update(user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:settings-profile")
    return _render_profile_settings(request, form=form, status=400)


@login_required
@require_POST
def settings_picture(request: HttpRequest, field: str) -> HttpResponse:
    if field not in PICTURE_FIELDS:
        raise Http404
    user = _user(request)
    if "remove" in request.POST:
        services.profile_remove_picture(user=user, field=field)
        messages.success(
            request,
            _("Your avatar is removed.") if field == "avatar" else _("Your banner is removed."),
        )
        return redirect("accounts:settings-profile")
    form = PictureForm(request.POST, request.FILES, prefix=field)
    if form.is_valid():
        upload = form.cleaned_data["picture"]
        setter = services.profile_set_avatar if field == "avatar" else services.profile_set_banner
        try:
            setter(user=user, upload=upload, size=upload.size)
        except ValidationError as error:
            form.add_error("picture", error)
        except UploadRefused as refusal:  # too many uploads for now
            form.add_error("picture", refusal.message)
            response = _render_profile_settings(
                request, picture_forms={field: form}, status=refusal.status
            )
            for name, value in refusal.headers.items():
                response[name] = value
            return response
        else:
            messages.success(
                request,
                _("Your new avatar is being prepared; it appears in a few seconds.")
                if field == "avatar"
                else _("Your new banner is being prepared; it appears in a few seconds."),
            )
            return redirect("accounts:settings-profile")
    return _render_profile_settings(request, picture_forms={field: form}, status=400)


# --- settings: data export -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    error = None
    if request.method == "POST":
        try:
            services.data_export_request(user=user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(
                request,
                _("Your export is being prepared. It appears here when it is ready to download."),
            )
            return redirect("accounts:settings-export")
    return render(
        request,
        "accounts/settings_export.html",
        {
            "exports": selectors.data_export_list(user=user),
            "error": error,
            "now": timezone.now(),
        },
        status=429 if error else 200,
    )


@never_cache
@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    user = _user(request)
    export = selectors.data_export_get_for_owner(user=user, export_id=export_id)
    if export is None or not export.is_downloadable(now=timezone.now()):
        raise Http404
    try:
        archive = storages["private"].open(export.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    assert export.finished_at is not None
    filename = f"impasto-{user.handle}-{export.finished_at:%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response


# --- settings: account deletion --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def settings_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.account_deletion_request(user=user)
        due = services.deletion_due_at(user)
        logout(request)
        assert due is not None
        messages.success(
            request,
            _(
                "Your account is scheduled for deletion on %(date)s. Your profile is no longer "
                "visible. Log in before then to cancel."
            )
            % {"date": date_format(due, "DATE_FORMAT")},
        )
        return redirect("core:home")
    return render(
        request,
        "accounts/settings_delete.html",
        {"form": form, "grace_days": settings.ACCOUNTS_DELETION_GRACE_PERIOD.days},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest) -> HttpResponse:
    """The log-in stage for an account scheduled for deletion: cancel it, or leave."""
    if request.user.is_authenticated:
        return redirect("core:home")
    stage = LoginStageController.enter(request, RestoreAccountStage.key)
    user = stage.login.user if stage else None
    if stage is None or not isinstance(user, User):
        return redirect("account_login")
    if request.method == "POST":
        if "restore" in request.POST:
            services.account_deletion_cancel(user=user)
            messages.success(request, _("Welcome back. Your account is no longer being deleted."))
            response: HttpResponse = stage.exit()
            return response
        messages.info(request, _("Your account stays scheduled for deletion."))
        stage.abort()
        return redirect("core:home")
    return render(
        request,
        "accounts/restore.html",
        {"person": user, "due": services.deletion_due_at(user)},
    )


def rate_limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What allauth's throttles answer (it calls ``config.urls.handler429``)."""
    return too_many_requests(request, template="accounts/429.html")
