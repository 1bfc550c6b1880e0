"""What every social view needs: the reader, htmx or not, where to go back, how to say no."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from impasto.accounts import selectors as account_selectors
from impasto.accounts.models import User
from impasto.core.htmx import Level, toast
from impasto.social.selectors.relations import (
    REQUEST_ATTRIBUTE,
    viewer_for,
    viewer_from_request,
)
from impasto.social.visibility import Viewer

F = TypeVar("F", bound=Callable[..., HttpResponseBase])

# A form answer that htmx should swap although its status is 400 (static/js/social.js).
FORM_ERRORS_HEADER = "X-Impasto-Form-Errors"


def viewer(request: HttpRequest) -> Viewer:
    return viewer_from_request(request)


def refresh_viewer(request: HttpRequest) -> Viewer:
    """The reader again, after an action changed their relations (follow, mute, block)."""
    setattr(request, REQUEST_ATTRIBUTE, viewer_for(request.user))
    return viewer_from_request(request)


def person_or_404(handle: str) -> User:
    """The account behind a handle, while it is public (blocks are the selectors' business)."""
    person = account_selectors.user_get_public(handle=handle, with_fields=False)
    if person is None:
        raise Http404("No such person.")
    return person


def member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a partial (a boosted one wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def member_required(view: F) -> F:
    """Like ``login_required``, but an htmx request (a session that expired while the page was
    open) is sent to the log-in page as a whole page, not swapped into a button."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        back = safe_next(request, request.get_full_path())
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(back)["Location"]
            return response
        return redirect_to_login(back)

    return cast(F, wrapper)


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` the form carried, if it is a path on this site; else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def cursor(request: HttpRequest, name: str = "before") -> int | None:
    """A keyset cursor from the query string; a malformed one is bad input (400)."""
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(
            _("This page link is broken: the list position is not a number.")
        ) from None
    if value <= 0:
        raise BadRequest(_("This page link is broken: the list position is not a number."))
    return value


def next_page_url(request: HttpRequest, next_cursor: int | None) -> str:
    """The "Load more" link: this URL with ``before`` set to the page's cursor."""
    if next_cursor is None:
        return ""
    query: QueryDict = request.GET.copy()
    query["before"] = str(next_cursor)
    return f"{request.path}?{query.urlencode()}"


class BadRequest(Exception):
    """Bad input in a link; :func:`problem` turns it into a page (or a toast) with status 400."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def friendly(view: F) -> F:
    """Turn a refusal into words people understand: a broken link or bad input (400), a
    refusal with the service's own message (403). ``Http404`` is left to Django's 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return problem(request, error.message, status=400)
        except ValidationError as error:
            return problem(request, validation_message(error), status=400)
        except PermissionDenied as error:
            message = str(error) or _("You are not allowed to do this.")
            return problem(request, message, status=403)

    return cast(F, wrapper)


def problem(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """Say no in words: a toast for htmx, a page otherwise; nothing was stored."""
    if is_htmx(request):
        return toast(HttpResponse(status=status), message, level="error")
    return render(request, "social/problem.html", {"message": message}, status=status)


def validation_message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def done(
    request: HttpRequest,
    message: str,
    *,
    back: str,
    partial: str | None = None,
    context: dict[str, Any] | None = None,
    level: Level = "success",
) -> HttpResponse:
    """An action succeeded: htmx gets ``partial`` (or nothing) and a toast; a plain form post is
    redirected to ``next`` (or ``back``) and the message waits on that page."""
    if is_htmx(request):
        if partial is None:
            response = HttpResponse(status=200)
        else:
            response = render(request, partial, context or {})
        return toast(response, message, level=level) if message else response
    if message:
        messages.add_message(request, _LEVELS[level], message)
    return redirect(safe_next(request, back))


_LEVELS = {
    "info": messages.INFO,
    "success": messages.SUCCESS,
    "warning": messages.WARNING,
    "error": messages.ERROR,
}


def form_invalid(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 400,
    retarget: str = "",
) -> HttpResponse:
    """A form with errors (status 400, or 403 for a refusal): what was typed comes back in the
    form with the message. htmx gets the form partial, which static/js/social.js swaps in."""
    if is_htmx(request) and partial is not None:
        response = render(request, partial, context, status=status)
        response[FORM_ERRORS_HEADER] = "1"
        if retarget:
            # The form asked for its answer elsewhere (appended to a list): put it back in place.
            response["HX-Retarget"] = retarget
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, template, context, status=status)


def int_param(value: str | None) -> int | None:
    """An id from a form or a link (``?reply_to=``); a malformed one is bad input."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise BadRequest(_("This link is broken: the post it points to is not a number.")) from None
    if number <= 0:
        raise BadRequest(_("This link is broken: the post it points to is not a number."))
    return number
