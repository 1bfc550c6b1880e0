"""Creating accounts."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from impasto.accounts.models import Profile, User


@transaction.atomic
def user_create(
    *,
    handle: str,
    email: str,
    password: str | None,
    display_name: str = "",
    email_verified: bool = False,
    is_staff: bool = False,
) -> User:
    """Create an account with its profile and its (primary) email address."""
    user = User.objects.create_user(
        handle, email, password, display_name=display_name, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def user_save_signup(*, user: User) -> User:
    """Save an account the sign-up form has filled in, with its empty profile.

    allauth builds the ``User`` (handle, email, hashed password) and records the email
    address itself right after this returns, so this creates no ``EmailAddress``.
    """
    user.full_clean(exclude=["password"])
    user.save()
    Profile.objects.create(user=user)
    return user
