"""The tokens settings page: /settings/tokens (server-rendered, enhanced with htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from impasto.accounts.models import User
from impasto.api import selectors, services
from impasto.api.forms import TokenCreateForm
from impasto.api.models import AccessToken
from impasto.api.schemas.common import SNOWFLAKE_MAX


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def _render(
    request: HtmxRequest,
    user: User,
    form: TokenCreateForm,
    *,
    created: AccessToken | None = None,
    secret: str | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "tokens": list(selectors.token_list(user=user)),
        "created": created,
        "secret": secret,
        "now": timezone.now(),
    }
    template = "api/_tokens.html" if request.htmx else "api/token_list.html"
    return render(request, template, context)


@never_cache  # the page may carry a new token's secret: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HtmxRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        return _render(request, user, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
                error.error_dict["expires_in"] = error.error_dict.pop("expires_at")
            form.add_error(None, error)
        else:
            return _render(request, user, TokenCreateForm(), created=token, secret=secret)
    # 200 even with errors: htmx swaps in only successful answers, and the form is the answer.
    return _render(request, user, form)


@never_cache
@login_required
@require_POST
def token_revoke(request: HtmxRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if token_id > SNOWFLAKE_MAX:
        raise Http404
    try:
        token = services.token_revoke(user=user, token_id=token_id)
    except AccessToken.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        return _render(request, user, TokenCreateForm())
    messages.success(request, _("“%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:token-list")


def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any /api/ address no operation answers: 404 in the API's error format, not a web page."""
    return JsonResponse(
        {"detail": _("No such API address."), "errors": []},
        status=404,
        content_type="application/json; charset=utf-8",  # as ninja's own answers
    )
