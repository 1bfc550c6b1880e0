"""Account deletion: hidden at once, erased after a grace period, cancellable until then."""

from __future__ import annotations

import logging
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.utils import timezone

from impasto.accounts import tasks
from impasto.accounts.models import DataExport, Profile, User
from impasto.accounts.userdata import user_data_hooks

logger = logging.getLogger(__name__)


def deletion_due_at(user: User) -> datetime | None:
    """When the account will be erased, or None when no deletion is pending."""
    if user.deletion_scheduled_at is None:
        return None
    return user.deletion_scheduled_at + settings.ACCOUNTS_DELETION_GRACE_PERIOD


def account_deletion_request(*, user: User) -> User:
    """Schedule ``user``'s account for erasure after the grace period.

    From the moment this returns, the profile and everything built on
    ``User.objects.public()`` is gone from public view, and every session of the account is
    ended (the caller logs out the request it is answering). Asking twice keeps the first date.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.deletion_scheduled_at is None:
            locked.deletion_scheduled_at = timezone.now()
            locked.save(update_fields=["deletion_scheduled_at"])
        for hooks in user_data_hooks():
            if hooks.deletion_requested:
                hooks.deletion_requested(user=locked)
        due = deletion_due_at(locked)
        assert due is not None
        transaction.on_commit(lambda: tasks.enqueue_at(tasks.account_erase_task, due, locked.pk))
    user.deletion_scheduled_at = locked.deletion_scheduled_at
    for session in UserSession.objects.filter(user=locked):
        session.end()
    return locked


@transaction.atomic
def account_deletion_cancel(*, user: User) -> User:
    """Keep the account: it is public again at once; the queued erasure will do nothing."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.deletion_scheduled_at is not None:
        locked.deletion_scheduled_at = None
        locked.save(update_fields=["deletion_scheduled_at"])
    user.deletion_scheduled_at = None
    return locked


def account_erase(*, user_id: int, now: datetime | None = None) -> bool:
    """Erase the account if its grace period is over. True when it was erased.

    Each app's ``user_data_erase`` hook runs first (newest apps first), then the ``User`` row
    goes and the database cascade takes what is left. A cancelled or not yet due deletion, or
    an account already erased, is left alone: the task and the sweep may both run.
    """
    now = now or timezone.now()
    cutoff = now - settings.ACCOUNTS_DELETION_GRACE_PERIOD
    with transaction.atomic():
        user = (
            User.objects.deletion_due(before=cutoff).select_for_update().filter(pk=user_id).first()
        )
        if user is None:
            return False
        for hooks in reversed(user_data_hooks()):
            if hooks.erase:
                hooks.erase(user=user)
        handle = user.handle
        user.delete()
    logger.info("Erased the account @%s (id %s)", handle, user_id)
    return True


def accounts_purge_due(*, now: datetime | None = None) -> list[int]:
    """Erase every account whose grace period is over; the ids erased. For the sweep command."""
    now = now or timezone.now()
    cutoff = now - settings.ACCOUNTS_DELETION_GRACE_PERIOD
    due = list(User.objects.deletion_due(before=cutoff).values_list("pk", flat=True))
    return [user_id for user_id in due if account_erase(user_id=user_id, now=now)]


def user_data_erase(*, user: User) -> None:
    """The accounts app's own erasure hook: the files the database cascade cannot remove."""
    profile = Profile.objects.filter(user=user).first()
    names = [profile.avatar.name, profile.banner.name] if profile else []
    for name in names:
        if name:
            default_storage.delete(name)
    private = storages["private"]
    for file_name in DataExport.objects.filter(user=user).values_list("file_name", flat=True):
        private.delete(file_name)
