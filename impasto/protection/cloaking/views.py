"""The cloaking panel of a work: its status (polled while it works) and the level form.

Only the work's owner sees or changes it; to anyone else it does not exist (404). Ownership is
the image pipeline's answer (``CloakPipeline.work_assets``), the same for every request.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from impasto.accounts.models import User
from impasto.protection.cloaking.forms import CloakLevelForm
from impasto.protection.cloaking.registry import get_pipeline
from impasto.protection.cloaking.selectors import cloak_work_summary
from impasto.protection.cloaking.services import cloak_request


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def _owned_assets(request: HttpRequest, work_id: int) -> list[int]:
    assert isinstance(request.user, User)
    assets = get_pipeline().work_assets(owner_id=request.user.pk, work_id=work_id)
    if assets is None:
        raise Http404
    return assets


@login_required
@require_http_methods(["GET", "POST"])
def work_panel(request: HtmxRequest, work_id: int) -> HttpResponse:
    assets = _owned_assets(request, work_id)
    assert isinstance(request.user, User)
    cloak = cloak_work_summary(owner_id=request.user.pk, work_id=work_id)
    status = 200
    saved = False
    if request.method == "POST":
        form = CloakLevelForm(
            request.POST, available=cloak.available, reason=cloak.unavailable_reason
        )
        if form.is_valid():
            cloak_request(
                owner=request.user,
                work_id=work_id,
                asset_ids=assets,
                level=form.cleaned_data["level"],
            )
            if not request.htmx:
                return redirect("cloaking:work-panel", work_id=work_id)
            cloak = cloak_work_summary(owner_id=request.user.pk, work_id=work_id)
            saved = True
            form = CloakLevelForm(
                initial={"level": cloak.level},
                available=cloak.available,
                reason=cloak.unavailable_reason,
            )
        elif not request.htmx:
            status = 400  # htmx swaps in only successful answers: there the form is the answer
    else:
        form = CloakLevelForm(
            initial={"level": cloak.level},
            available=cloak.available,
            reason=cloak.unavailable_reason,
        )
    template = (
        "protection/cloaking/_cloak_panel.html"
        if request.htmx
        else "protection/cloaking/cloak_panel_page.html"
    )
    context = {"cloak": cloak, "form": form, "saved": saved, "image_count": len(assets)}
    return render(request, template, context, status=status)


@login_required
@require_GET
def work_status(request: HttpRequest, work_id: int) -> HttpResponse:
    assets = _owned_assets(request, work_id)
    assert isinstance(request.user, User)
    cloak = cloak_work_summary(owner_id=request.user.pk, work_id=work_id)
    context = {"cloak": cloak, "image_count": len(assets)}
    return render(request, "protection/cloaking/_cloak_status.html", context)
