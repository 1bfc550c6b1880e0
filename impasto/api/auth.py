"""Who is calling: a personal access token, the web session, or nobody.

:func:`resolve_principal` answers once per request (memoised on it) and every other piece asks
it: the ninja auth classes below, which decide what an operation accepts, and the dispatch
hook in ``impasto.api.v1`` that the rate limiter plugs into.

- ``Authorization: Bearer imp_…`` wins when present. A token that is malformed, unknown,
  revoked, expired, or whose account is inactive or being deleted answers 401 on every
  operation, public ones included: a client with a broken token should hear about it.
  A read-only token answers 403 to unsafe methods (POST, PUT, PATCH, DELETE).
- Otherwise the Django session (the web site's own pages calling the API): unsafe methods must
  carry the CSRF token (``X-CSRFToken`` header), as for any form on the site.
- Otherwise anonymous: operations that need an account answer 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from impasto.accounts.models import User
from impasto.api.models import AccessToken
from impasto.api.selectors import TokenRefused, token_authenticate
from impasto.api.services import token_mark_used

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_PRINCIPAL = "_impasto_api_principal"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one API request."""

    via: Literal["token", "session", "anonymous"]
    user: User | None = None
    token: AccessToken | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def can_write(self) -> bool:
        if self.token is not None:
            return self.token.can_write
        return self.user is not None


ANONYMOUS = Principal(via="anonymous")


def _bearer(request: HttpRequest) -> str | None:
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def resolve_principal(request: HttpRequest) -> Principal:
    """The caller of ``request``; raises ``AuthenticationError`` (401) for a bad token."""
    cached: Principal | AuthenticationError | None = getattr(request, _PRINCIPAL, None)
    if isinstance(cached, AuthenticationError):
        raise cached
    if cached is not None:
        return cached
    try:
        principal = _resolve(request)
    except AuthenticationError as refusal:
        setattr(request, _PRINCIPAL, refusal)
        raise
    setattr(request, _PRINCIPAL, principal)
    return principal


def _resolve(request: HttpRequest) -> Principal:
    raw = _bearer(request)
    if raw is not None:
        now = timezone.now()
        try:
            token = token_authenticate(raw=raw, now=now)
        except TokenRefused as refusal:
            raise AuthenticationError(401, str(refusal)) from None
        token_mark_used(token=token, now=now)
        # Code that reads request.user (services given the request, templates) sees the owner.
        request.user = token.user
        return Principal(via="token", user=token.user, token=token)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_public:
        return Principal(via="session", user=user)
    return ANONYMOUS


class TokenAuth(HttpBearer):
    """Personal access token: ``Authorization: Bearer imp_…`` (create one at /settings/tokens)."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        principal = resolve_principal(request)
        if principal.via != "token":
            return None
        if request.method not in SAFE_METHODS and not principal.can_write:
            raise AuthorizationError(
                403,
                _("This token can only read. Create a token with read and write access."),
            )
        return principal


class SessionAuth(APIKeyCookie):
    """The web site's log-in session; unsafe methods also need the X-CSRFToken header."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check is made in authenticate(), once we know a session is in use, so an
        # anonymous POST hears "log in" (401) rather than "CSRF" (403). ``csrf`` stays True
        # so ninja's docs page sends the token from "Try it out".
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        principal = resolve_principal(request)
        if principal.via != "session":
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(
                403,
                _(
                    "CSRF check failed: send the X-CSRFToken header with the page's token, "
                    "or use a personal access token."
                ),
            )
        return principal


class AnonymousAuth:
    """Lets an operation run without credentials (still 401 for a bad token).

    Use through :data:`PUBLIC` and :data:`PUBLIC_OPENAPI`, never on its own.
    """

    def __call__(self, request: HttpRequest) -> Principal:
        return resolve_principal(request)


REQUIRED: list[Any] = [TokenAuth(), SessionAuth()]
"""The API's default: a token or a session."""

PUBLIC: list[Any] = [*REQUIRED, AnonymousAuth()]
"""For operations anyone may call; pass ``openapi_extra=PUBLIC_OPENAPI`` with it."""

PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}
"""Adds the empty security requirement: OpenAPI's way of saying "no credentials needed"."""


def principal(request: HttpRequest) -> Principal:
    """The caller, for use inside an operation (ninja has already authenticated it)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, Principal) else resolve_principal(request)


def current_user(request: HttpRequest) -> User:
    """The authenticated caller of an operation that requires an account."""
    user = principal(request).user
    if user is None:  # pragma: no cover - REQUIRED guarantees it
        raise AuthenticationError()
    return user
