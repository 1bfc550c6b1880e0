"""Every non-trivial read of accounts and profiles: visibility and query shape live here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from impasto.accounts.models import DataExport, User
from impasto.accounts.validators import HANDLE_RE


def user_get_with_profile(*, user_id: int) -> User:
    """The account and everything its profile shows, in two queries."""
    return (
        User.objects.select_related("profile")
        .prefetch_related("profile__disciplines")
        .get(pk=user_id)
    )


def user_get_public(*, handle: str, with_fields: bool = True) -> User | None:
    """The account behind a public profile page, with its profile (and fields), or None.

    None for a handle nobody has and for an account that is not public (deactivated, or
    waiting out its deletion grace period): the page answers 404 either way. Serving a
    picture needs no fields: ``with_fields=False`` makes it one query.
    """
    if not HANDLE_RE.fullmatch(handle):
        return None
    users = User.objects.public().select_related("profile").filter(handle=handle)
    if with_fields:
        users = users.prefetch_related("profile__disciplines")
    return users.first()


def data_export_list(*, user: User, limit: int = 10) -> QuerySet[DataExport]:
    """``user``'s most recent exports, newest first."""
    return DataExport.objects.filter(user=user).order_by("-created_at")[:limit]


def data_export_get_for_owner(*, user: User, export_id: int) -> DataExport | None:
    """The export ``export_id`` if ``user`` owns it; None for everyone else."""
    return DataExport.objects.filter(pk=export_id, user=user).select_related("user").first()


def picture_url(*, user: User, field: str) -> str | None:
    """Where ``user``'s avatar or banner (``field``) is served, or None when there is none.

    Pictures go through a view (it checks the account is public), never a bare media URL.
    """
    name = getattr(user.profile, field).name
    if not name:
        return None
    return reverse(
        "accounts:profile-picture", kwargs={"handle": user.handle, "name": name.rsplit("/", 1)[-1]}
    )
