"""Moderation pages: the artist's view of a case, reports, notices, and the staff desk.

The desk and everything under it answer 404 to anyone who is not a moderator; a case page
answers 404 to anyone but its artist.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impasto.accounts import inactive
from impasto.accounts.models import User
from impasto.imaging.acceptance import UploadRefused
from impasto.moderation import selectors, services, targets
from impasto.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    ReasonForm,
    ReportForm,
    ReviewRequestForm,
)
from impasto.moderation.models import Appeal, Case
from impasto.protection.ratelimit import rate_limit


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _error(request: HttpRequest, error: services.ModerationError) -> HttpResponse:
    if error.status == 404:
        raise Http404(error.message)
    return render(request, "moderation/error.html", {"message": error.message}, status=error.status)


# --- the artist ------------------------------------------------------------------------------


@login_required
@require_GET
def asset_case(request: HttpRequest, asset_id: int) -> HttpResponse:
    """From the upload list: the latest case about this upload of mine."""
    case = selectors.latest_case_for_target(
        target_type="asset", target_id=asset_id, user=_user(request)
    )
    if case is None:
        raise Http404
    return redirect("moderation:yours", case.pk)


def _yours(request: HttpRequest, case_id: int) -> selectors.CaseView:
    view = selectors.case_for_subject(case_id=case_id, user=_user(request))
    if view is None:
        raise Http404
    return view


@login_required
@require_GET
def case_yours(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _yours(request, case_id)
    context = {
        "view": view,
        "case": view.case,
        "review_form": ReviewRequestForm(),
        "can_appeal": selectors.can_appeal(view.case),
    }
    return render(request, "moderation/case_yours.html", context)


@login_required
@require_POST
def case_review(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _yours(request, case_id)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            services.case_request_review(
                case=view.case, user=_user(request), note=form.cleaned_data["note"]
            )
        except services.ModerationError as error:
            return _error(request, error)
        messages.success(request, _("Thanks: a moderator will look at it."))
    return redirect("moderation:yours", case_id)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _yours(request, case_id)
    try:
        services.case_withdraw(case=view.case, user=_user(request))
    except services.ModerationError as error:
        return _error(request, error)
    messages.success(request, _("Withdrawn: it is not shown to anyone."))
    return redirect("moderation:yours", case_id)


def _temp_path(upload: UploadedFile) -> tuple[Path, bool]:
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path()), False
    import tempfile

    with tempfile.NamedTemporaryFile(delete=False, prefix="impasto-appeal-") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name), True


def _appeal_submit(
    request: HttpRequest, form: AppealForm, *, case: Case, user: User, done: str
) -> HttpResponse | int:
    """A posted appeal form: the appeal is stored (its files through the image pipeline) and
    a redirect to ``done`` returned, or the status to show the form again with its errors."""
    if not form.is_valid():
        return 400
    paths: list[tuple[Path, bool]] = [_temp_path(f) for f in form.cleaned_data["process_files"]]
    try:
        services.appeal_create(
            case=case,
            user=user,
            statement=form.cleaned_data["statement"],
            files=[p for p, _t in paths],
        )
    except UploadRefused as refusal:
        form.add_error("process_files", refusal.message)
        return refusal.status
    except services.ModerationError as error:
        return _error(request, error)
    finally:
        for path, temporary in paths:
            if temporary:
                with contextlib.suppress(OSError):
                    path.unlink()
    messages.success(request, _("Your appeal is with the moderators."))
    return redirect(done)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _yours(request, case_id)
    if not selectors.can_appeal(view.case):
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        result = _appeal_submit(
            request,
            form,
            case=view.case,
            user=_user(request),
            done=reverse("moderation:yours", args=[case_id]),
        )
        if isinstance(result, HttpResponse):
            return result
        status = result
    return render(
        request, "moderation/appeal_form.html", {"view": view, "form": form}, status=status
    )


# --- a suspended or banned person (not logged in) --------------------------------------------


def _proven(request: HttpRequest) -> User | None:
    """The closed account this session proved (its password) in the last minutes, if any.

    Nobody is logged in by it: only the standing pages read it."""
    user_id = inactive.proven_user_id(request)
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=False).first()


def _standing_page(
    request: HttpRequest,
    user: User,
    items: list[selectors.Standing],
    *,
    bound: tuple[int, AppealForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    for item in items:
        if item.can_appeal and item.view is not None:
            item.form = bound[1] if bound and bound[0] == item.view.case.pk else AppealForm()
    context = {"person": user, "items": items}
    return render(request, "moderation/standing.html", context, status=status)


@require_GET
def standing(request: HttpRequest) -> HttpResponse:
    """Why a suspended or banned account is closed, and its appeal: reached from the log-in
    form (``AccountAdapter.respond_user_inactive``); without a fresh proof, the log-in page."""
    user = _proven(request)
    items = selectors.standing_of(user=user) if user is not None else []
    if user is None or not items:
        inactive.proof_forget(request)
        if request.user.is_authenticated:
            raise Http404
        return redirect("account_login")
    return _standing_page(request, user, items)


@require_POST
def standing_appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _proven(request)
    if user is None:
        raise Http404
    items = selectors.standing_of(user=user)
    item = next((i for i in items if i.view is not None and i.view.case.pk == case_id), None)
    if item is None or item.view is None or not item.can_appeal:
        raise Http404
    form = AppealForm(request.POST, request.FILES)
    result = _appeal_submit(
        request, form, case=item.view.case, user=user, done=reverse("moderation:standing")
    )
    if isinstance(result, HttpResponse):
        return result
    return _standing_page(request, user, items, bound=(case_id, form), status=result)


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    items = selectors.notices_for(user=_user(request))
    services.notices_mark_read(user=_user(request))
    return render(request, "moderation/notices.html", {"notices": items})


# --- reports ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    try:
        target = targets.get(target_type)
    except KeyError:
        raise Http404 from None
    obj = target.load(target_id)
    if obj is None or not target.visible_to(obj, _user(request)):
        raise Http404
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        decision = rate_limit(request, bucket="reports", key=f"user:{request.user.pk}")
        if not decision.allowed:
            response = render(
                request, "429.html", {"retry_after": int(decision.retry_after) + 1}, status=429
            )
            response["Retry-After"] = decision.retry_after_header
            return response
        if form.is_valid():
            try:
                services.report_create(
                    reporter=_user(request),
                    target_type=target_type,
                    target_id=target_id,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except services.ModerationError as error:
                return _error(request, error)
            messages.success(
                request, _("Thank you. A moderator will look, and we will tell you the outcome.")
            )
            return redirect(target.url(obj) or "core:home")
    context = {"form": form, "target": target, "obj": obj, "title": target.title(obj)}
    return render(request, "moderation/report_form.html", context, status=status)


# --- the desk (staff) ------------------------------------------------------------------------


def _moderator(request: HttpRequest) -> User:
    if not selectors.is_moderator(request.user):
        raise Http404
    return _user(request)


@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    name = request.GET.get("queue", "held")
    if name not in selectors.QUEUES:
        name = "held"
    context = {
        "queue_name": name,
        "items": list(selectors.queue(name=name)),
        "counts": selectors.queue_counts(),
        "queues": selectors.QUEUES,
    }
    return render(request, "moderation/desk.html", context)


def _desk_case(request: HttpRequest, case_id: int) -> selectors.CaseView:
    view = selectors.case_for_moderator(case_id=case_id, viewer=_moderator(request))
    if view is None:
        raise Http404
    return view


def _case_page(request: HttpRequest, view: selectors.CaseView, **forms: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "view": view,
        "case": view.case,
        "history": selectors.account_history(
            user_id=view.case.subject_id, exclude_case=view.case.pk
        ),
        "log": selectors.case_log(case_id=view.case.pk),
        "reports": list(view.case.reports.select_related("reporter").order_by("id")),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "restore_form": forms.get("restore_form") or ReasonForm(),
        "appeal_form": forms.get("appeal_form") or AppealDecisionForm(),
        "error": forms.get("error"),
    }
    return render(request, "moderation/case_detail.html", context, status=forms.get("status", 200))


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, _desk_case(request, case_id))


@require_POST
def case_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _desk_case(request, case_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, view, decision_form=form, status=400)
    try:
        services.case_decide(
            case=view.case,
            moderator=_user(request),
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            category=form.cleaned_data["category"] or "",
            days=form.cleaned_data["days"],
        )
    except services.ModerationError as error:
        return _case_page(
            request, view, decision_form=form, error=error.message, status=error.status
        )
    messages.success(request, _("Decided. The artist has been told."))
    return redirect("moderation:case", case_id)


@require_POST
def case_restore(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _desk_case(request, case_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _case_page(request, view, restore_form=form, status=400)
    try:
        services.case_restore(
            case=view.case, moderator=_user(request), reason=form.cleaned_data["reason"]
        )
    except services.ModerationError as error:
        return _case_page(
            request, view, restore_form=form, error=error.message, status=error.status
        )
    messages.success(request, _("Restored. The artist has been told."))
    return redirect("moderation:case", case_id)


@require_POST
def appeal_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    view = _desk_case(request, case_id)
    appeal = Appeal.objects.filter(case=view.case).first()
    if appeal is None:
        raise Http404
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, view, appeal_form=form, status=400)
    try:
        services.appeal_decide(
            appeal=appeal,
            moderator=_user(request),
            upheld=form.cleaned_data["upheld"],
            reason=form.cleaned_data["reason"],
        )
    except services.ModerationError as error:
        return _case_page(request, view, appeal_form=form, error=error.message, status=error.status)
    messages.success(request, _("Appeal decided. The artist has been told."))
    return redirect("moderation:case", case_id)
