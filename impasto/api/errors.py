"""One error format for the whole API, and the exceptions that produce it.

Every error answer is ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``:

- 400 a body that is not JSON; 401 no or bad credentials; 403 not allowed (read-only token,
  failed CSRF check); 404 not found or not visible to the caller; 409 :class:`Conflict`;
  422 a value that is not acceptable, from the request schema or from a service's Django
  ``ValidationError`` (field names kept); 429 :class:`RateLimited`; 500 a bug (logged).

Routers raise these exceptions (or let services raise ``ValidationError`` and
``DoesNotExist``) instead of building error responses themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from impasto.api.schemas.common import ErrorOut

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")

ERROR_STATUSES = (400, 401, 403, 404, 409, 422, 429)
_PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class ApiError(Exception):
    """An error answer: ``status``, ``detail`` and optional per-field ``errors``."""

    status = 400

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, str | None]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        if status is not None:
            self.status = status


class Conflict(ApiError):
    """409: the request is valid but clashes with the current state (a duplicate, a race)."""

    status = 409


class RateLimited(ApiError):
    """429, with ``Retry-After`` when the limiter knows how long to wait."""

    status = 429

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(detail or _("Too many requests. Wait a little and try again."))
        self.retry_after = retry_after


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The ``response=`` entries documenting an operation's error answers.

    429 is always included: the rate limiter may answer it on any operation.
    """
    return dict.fromkeys(sorted({*statuses, 429}), ErrorOut)


def field_errors(
    error: DjangoValidationError, *, fields_by_code: Mapping[str, str] | None = None
) -> list[dict[str, str | None]]:
    """A Django ``ValidationError`` as ``[{"field", "message"}]``.

    A dict-shaped error (``ValidationError({"bio": ...})``, ``full_clean``) keeps its field
    names. A plain one has none; ``fields_by_code`` can name the field from the error's code
    for services that do not say it themselves.
    """
    items: list[dict[str, str | None]] = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = None if name == "__all__" else name
            for item in errors:
                items.extend({"field": field, "message": m} for m in item.messages)
        return items
    for item in error.error_list:
        field = (fields_by_code or {}).get(item.code or "")
        items.extend({"field": field, "message": m} for m in item.messages)
    return items


def _field_from_loc(loc: Any) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _PARAM_SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts:
            # ninja nests the body under the view's parameter name: {"payload": {"bio": ...}}
            parts = parts[1:]
    return ".".join(parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest,
        status: int,
        detail: str,
        errors: list[dict[str, str | None]] | None = None,
    ) -> HttpResponse:
        body = ErrorOut.model_validate({"detail": detail, "errors": errors or []})
        return api.create_response(request, body.model_dump(), status=status)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = respond(request, exc.status, exc.detail, exc.errors)
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response

    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _field_from_loc(item.get("loc", ())), "message": str(item.get("msg", ""))}
            for item in exc.errors
        ]
        return respond(request, 422, _("Some values are not valid."), errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, 422, _("Some values are not valid."), field_errors(exc))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = exc.message
        if detail == "Unauthorized":  # ninja's own: nobody presented any credentials
            detail = _("Log in, or send a personal access token: Authorization: Bearer imp_…")
        response = respond(request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="impasto"'
        return response

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = respond(request, 429, _("Too many requests. Wait a little and try again."))
        if exc.wait is not None:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = exc.message
        if exc.status_code == 400 and detail == "Cannot parse request body":
            detail = _("The request body is not valid JSON.")
        return respond(request, exc.status_code, detail)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("You are not allowed to do that."))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As Django does for a view that raises: log with the traceback (mails admins where
        # configured) and send the signal the test client and error trackers listen to.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        got_request_exception.send(sender=None, request=request)
        response = respond(request, 500, _("Something went wrong on our side. Try again later."))
        response._has_been_logged = True  # type: ignore[attr-defined]  # not twice by Django
        return response

    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        ApiError: on_api_error,
        NinjaValidationError: on_schema_error,
        DjangoValidationError: on_django_validation,
        AuthenticationError: on_authentication,
        Throttled: on_throttled,
        HttpError: on_http_error,
        Http404: on_not_found,
        ObjectDoesNotExist: on_not_found,
        PermissionDenied: on_permission_denied,
        Exception: on_unexpected,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
