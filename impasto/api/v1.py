"""Version 1 of the JSON API, mounted at /api/v1/ (OpenAPI at openapi.json, docs at docs).

Each domain's router lives in ``impasto.api.routers`` and is added below; authentication,
errors and the rate-limit hook are the same for all of them (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.operation import Operation

from impasto.api import throttling
from impasto.api.auth import REQUIRED, Principal, resolve_principal
from impasto.api.errors import RateLimited, install_error_handlers
from impasto.api.rendering import JSONRenderer
from impasto.api.routers import (
    art,
    conversations,
    feeds,
    me,
    me_social,
    media,
    notifications,
    people,
    posts,
    profiles,
    reports,
    search,
    tags,
    tokens,
)

DESCRIPTION = """
The JSON API of Impasto, for the mobile apps and your own scripts.

**Authentication**: send a personal access token (create one in your settings, at
`/settings/tokens`) as `Authorization: Bearer imp_…`. A read-only token may only use GET.
From the web site itself, the session cookie works too, with the `X-CSRFToken` header on
anything but GET.

**Ids** are strings of digits. **Lists** page with `before` / `after` cursors (ids) and
`limit`. **Errors** always read `{"detail": "...", "errors": [{"field": ..., "message": ...}]}`.
"""


class ImpastoAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view's own name ("me_get", "profile_get"): what client generators turn into
        # method names. Names are unique across routers (a test holds them to it).
        return operation.view_func.__name__


api = ImpastoAPI(
    title="Impasto API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=REQUIRED,
    # ninja serves Swagger UI from its own static files ("ninja" is installed) with no inline
    # script, so the site-wide CSP needs no exception for the docs page; the validator badge,
    # which would fetch an image from validator.swagger.io, is off. tests/api/test_browser.py
    # holds the page to that: operations listed, "Try it out" works, no console error.
    docs=Swagger(settings={"validatorUrl": None}),
    renderer=JSONRenderer(),  # orjson; dates as Django writes them (impasto/api/rendering.py)
)
install_error_handlers(api)


def dispatch(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps every operation: identify the caller once, then ask the rate-limit hook."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        caller: Principal | None
        try:
            caller = resolve_principal(request)
        except AuthenticationError:
            caller = None  # the operation's authentication answers 401
        try:
            throttling.api_rate_limit(request, principal=caller)
        except RateLimited as limited:
            return api.on_exception(request, limited)
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(dispatch, mode="view")

api.add_router("/me", me.router)
api.add_router("/me/tokens", tokens.router)
api.add_router("/profiles", profiles.router)

# --- social (docs/api.md, "Social"): posts, people, notifications, messages -----------------
# people and me_social share the /profiles and /me prefixes: each path lives in one router only
# (two routers with one path would answer 405 to the second one's methods).
api.add_router("/me", me_social.router)
api.add_router("/posts", posts.router)
api.add_router("/profiles", people.router)
api.add_router("/tags", tags.router)
api.add_router("/notifications", notifications.router)
api.add_router("/conversations", conversations.router)
api.add_router("/media", media.router)

# --- moderation (docs/moderation.md) --------------------------------------------------------
api.add_router("/reports", reports.router)
# --- feeds (docs/feeds.md): Following, Latest, For You, Discover, the reader's filters -------
api.add_router("/feeds", feeds.router)
api.add_router("/search", search.router)
# --- portfolio (docs/portfolio.md): projects, albums, comments ------------------------------
api.add_router("/projects", art.projects)
api.add_router("/albums", art.albums)
api.add_router("/comments", art.comments)
api.add_router("/profiles", art.profiles)
