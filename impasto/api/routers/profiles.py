"""Public profiles: /api/v1/profiles/{handle}."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import P, PathEx, Router

from impasto.accounts.models import User
from impasto.accounts.selectors import user_get_public
from impasto.accounts.validators import normalize_handle
from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI
from impasto.api.errors import error_responses
from impasto.api.schemas.accounts import PublicProfileOut

router = Router(tags=["profiles"])


@router.get(
    "/{handle}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: PublicProfileOut, **error_responses(401, 404)},
    summary="A public profile",
)
def profile_get(
    request: HttpRequest,
    handle: PathEx[str, P(description="The artist's handle.", example="mira")],
) -> User:
    """The profile behind a handle (any case, "@" optional). 404 when there is no public one."""
    user = user_get_public(handle=normalize_handle(handle))
    if user is None:
        raise Http404
    return user
