"""The caller's own account: /api/v1/me."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from impasto.accounts.selectors import user_get_with_profile
from impasto.accounts.services import profile_update
from impasto.api.auth import current_user, principal
from impasto.api.errors import ApiError, error_responses, field_errors
from impasto.api.schemas.accounts import MeOut, ProfileUpdateIn

router = Router(tags=["me"])


@router.get("", response={200: MeOut, **error_responses(401)}, summary="Your account")
def me_get(request: HttpRequest) -> MeOut:
    """Your handle, display name, email address, profile, and how this request was authenticated."""
    user = user_get_with_profile(user_id=current_user(request).pk)
    return MeOut.of(user, principal(request))


@router.patch(
    "/profile",
    response={200: MeOut, **error_responses(400, 401, 403, 422)},
    summary="Change your profile",
)
def me_profile_update(request: HttpRequest, payload: ProfileUpdateIn) -> MeOut:
    """Change the fields you send; the others stay. A bad value changes nothing (422)."""
    user = current_user(request)
    changes = payload.model_dump(mode="json", exclude_none=True)
    try:
        profile_update(user=user, **changes)
    except ValidationError as error:
        raise ApiError(
            _("Some values are not valid."),
            errors=field_errors(error),
            status=422,
        ) from None
    return MeOut.of(user_get_with_profile(user_id=user.pk), principal(request))
