"""Error pages: 400, 403, 404, 429 and 500, in the site's look, translated.

``config.urls`` names these as Django's ``handler400`` ... ``handler500`` (and allauth's
``handler429``, which it looks up in the root URLconf when its rate limits trip).

- 403, 404 and 429 render inside ``base.html`` with the full request context.
- 400 and 500 render the self-contained ``layouts/bare.html`` without context processors,
  the session or the database: a 400 may come from a bad ``Host`` header that any use of the
  request would raise again, and a 500 may come from the database being down.
- A client that does not accept HTML (an API client) gets ``{"detail": ...}`` as JSON; an htmx
  request also gets a toast, since htmx does not swap error responses into the page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from impasto.core.htmx import toast


def _wants_json(request: HttpRequest) -> bool:
    try:
        return not request.accepts("text/html")
    except Exception:  # a malformed Accept header must not turn a 4xx into a 500
        return False


def _respond(
    request: HttpRequest, *, status: int, template: str, detail: str, context: dict[str, Any]
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": detail}, status=status)
    response = render(request, template, {"detail": detail, **context}, status=status)
    if getattr(request, "htmx", False):
        toast(response, detail, level="error")
    return response


def _bare(template: str, *, status: int) -> HttpResponse:
    # No request: no context processors, no session, no database.
    html = loader.get_template(template).render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _bare("400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(
        request,
        status=403,
        template="403.html",
        detail=_("You do not have permission to see this page."),
        context={},
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(
        request,
        status=404,
        template="404.html",
        detail=_("This page does not exist, or is not shown to you."),
        context={},
    )


def too_many_requests(
    request: HttpRequest,
    exception: Exception | None = None,
    *,
    retry_after: int | None = None,
    template: str = "429.html",
) -> HttpResponse:
    """429: what rate limits answer (allauth's and ours). ``retry_after`` is in seconds.

    An app may pass its own ``template`` extending ``429.html`` to add a hint of its own.
    """
    response = _respond(
        request,
        status=429,
        template=template,
        detail=_("Too many requests in a short time. Please wait a moment and try again."),
        context={"retry_after": retry_after},
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    return _bare("500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open past its session; say so plainly."""
    detail = _("This form has expired. Reload the page and try again.")
    if _wants_json(request):
        return JsonResponse({"detail": detail}, status=403)
    response = _bare("403_csrf.html", status=403)
    if getattr(request, "htmx", False):
        toast(response, detail, level="error")
    return response
