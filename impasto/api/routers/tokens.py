"""The caller's personal access tokens: /api/v1/me/tokens.

Tokens are created in the settings page (/settings/tokens), where the secret is shown once;
the API lists them and revokes them (an app signing out revokes its own token).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from impasto.api.auth import current_user
from impasto.api.errors import error_responses
from impasto.api.models import AccessToken
from impasto.api.pagination import KeysetPage, KeysetParams, Page, keyset_page
from impasto.api.schemas.common import SnowflakeId
from impasto.api.schemas.tokens import TokenOut
from impasto.api.selectors import token_list
from impasto.api.services import token_revoke

router = Router(tags=["tokens"])


@router.get(
    "",
    response={200: Page[TokenOut], **error_responses(401, 422)},
    summary="Your access tokens",
)
def tokens_list(request: HttpRequest, params: Query[KeysetParams]) -> KeysetPage[AccessToken]:
    """Your tokens that are not revoked, newest first, expired ones included."""
    return keyset_page(
        token_list(user=current_user(request)),
        before=params.before,
        after=params.after,
        limit=params.limit,
    )


@router.delete(
    "/{token_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Revoke one of your tokens",
)
def tokens_revoke(request: HttpRequest, token_id: SnowflakeId) -> Status[None]:
    """The token stops working at once. Revoking twice is harmless; another's token is 404."""
    token_revoke(user=current_user(request), token_id=token_id)
    return Status(204, None)
