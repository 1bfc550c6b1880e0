"""Data export: a zip of everything a person has here, built by the worker, for them alone."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import datetime, timedelta
from zipfile import ZIP_DEFLATED, ZipFile

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts import tasks
from impasto.accounts.models import DataExport, Profile, User
from impasto.accounts.userdata import ExportWriter, user_data_hooks
from impasto.core.states import transition

logger = logging.getLogger(__name__)

# Building an export reads everything a person owns (later: every original): once a day.
EXPORT_INTERVAL = timedelta(hours=24)

README = """\
This archive holds what @{handle} had on {site} on {date}.

Each folder is one part of the site: "accounts" holds the account, its email addresses,
sessions and two-factor settings (never the secrets), and the profile with its pictures.
The .json files are plain UTF-8 JSON; dates are ISO 8601 in UTC.
"""


def data_export_request(*, user: User) -> DataExport:
    """Ask for a new export; the worker builds it. Once a day at most.

    Raises ``ValidationError`` when an export was already asked for in the last 24 hours.
    """
    now = timezone.now()
    with transaction.atomic():
        # The row lock makes two quick clicks produce one export, not two.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = (
            DataExport.objects.filter(user=user, created_at__gt=now - EXPORT_INTERVAL)
            .exclude(status=DataExport.Status.FAILED)
            .order_by("-created_at")
            .first()
        )
        if recent is not None:
            raise ValidationError(
                _(
                    "You asked for an export less than a day ago. You can ask for a new one "
                    "after %(time)s (UTC)."
                )
                % {"time": (recent.created_at + EXPORT_INTERVAL).strftime("%Y-%m-%d %H:%M")},
                code="export_too_soon",
            )
        export = DataExport.objects.create(
            user=user, file_name=f"exports/{secrets.token_urlsafe(24)}.zip", created_at=now
        )
        transaction.on_commit(lambda: tasks.data_export_build_task.enqueue(export.pk))
    return export


def data_export_build(*, export_id: int) -> bool:
    """Build the archive of a pending export. True when it was built by this call.

    A retried task overwrites the same storage key, so a crash halfway leaves no second copy.
    A failure marks the export failed (the owner can ask again at once) and is logged.
    """
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return False
    try:
        size = _write_archive(export)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        transition(
            export,
            to=DataExport.Status.FAILED,
            allowed=DataExport.TRANSITIONS,
            error="build failed",
            finished_at=timezone.now(),
            expires_at=timezone.now(),
        )
        return False
    now = timezone.now()
    expires_at = now + settings.ACCOUNTS_EXPORT_LIFETIME
    won = transition(
        export,
        to=DataExport.Status.READY,
        allowed=DataExport.TRANSITIONS,
        size=size,
        finished_at=now,
        expires_at=expires_at,
    )
    if won:
        tasks.enqueue_at(tasks.data_export_expire_task, expires_at, export.pk)
    return won


def _write_archive(export: DataExport) -> int:
    user = export.user
    private = storages["private"]
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as scratch:
        with ZipFile(scratch, "w", compression=ZIP_DEFLATED) as archive:
            archive.writestr(
                "README.txt",
                README.format(
                    handle=user.handle,
                    site=settings.SITE_NAME,
                    date=timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
                ),
            )
            for hooks in user_data_hooks():
                if hooks.export:
                    hooks.export(user=user, writer=ExportWriter(archive, hooks.app_label))
        size = scratch.tell()
        scratch.seek(0)
        if private.exists(export.file_name):
            private.delete(export.file_name)
        saved = private.save(export.file_name, File(scratch))
    if saved != export.file_name:
        private.delete(saved)
        raise RuntimeError(f"storage renamed {export.file_name!r} to {saved!r}")
    return size


def data_export_expire(*, export_id: int, now: datetime | None = None) -> bool:
    """Delete the archive of an export past its expiry. True when this call expired it."""
    now = now or timezone.now()
    export = DataExport.objects.filter(pk=export_id).first()
    if export is None or export.expires_at is None or export.expires_at > now:
        return False
    if export.status not in {DataExport.Status.READY, DataExport.Status.FAILED}:
        return False
    storages["private"].delete(export.file_name)
    return transition(export, to=DataExport.Status.EXPIRED, allowed=DataExport.TRANSITIONS)


def data_exports_purge_expired(*, now: datetime | None = None) -> int:
    """Expire every export past its date; how many. For the sweep command."""
    now = now or timezone.now()
    due = DataExport.objects.filter(
        status__in=[DataExport.Status.READY, DataExport.Status.FAILED], expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(data_export_expire(export_id=export_id, now=now) for export_id in list(due))


def user_data_export(*, user: User, writer: ExportWriter) -> None:
    """The accounts app's part of the export: account, profile, emails, sessions, 2FA."""
    from allauth.account.models import EmailAddress

    writer.add_json(
        "account.json",
        {
            "handle": user.handle,
            "display_name": user.display_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
    )
    profile = Profile.objects.prefetch_related("disciplines").get(user=user)
    pictures: dict[str, str | None] = {}
    for field in ("avatar", "banner"):
        name = getattr(profile, field).name
        pictures[field] = None
        if name and default_storage.exists(name):
            writer.add_file(f"{field}.webp", storage=default_storage, key=name)
            pictures[field] = f"{field}.webp"
    writer.add_json(
        "profile.json",
        {
            "kind": profile.kind,
            "bio": profile.bio,
            "location": profile.location,
            "links": profile.links,
            "open_to_work": profile.open_to_work,
            "open_for_commissions": profile.open_for_commissions,
            "fields": sorted(item.discipline for item in profile.disciplines.all()),
            **pictures,
            "updated_at": profile.updated_at,
        },
    )
    writer.add_json(
        "emails.json",
        [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
    )
    writer.add_json(
        "sessions.json",
        [
            {
                "started_at": session.created_at,
                "last_seen_at": session.last_seen_at,
                "ip": session.ip,
                "browser": session.user_agent,
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
    )
    writer.add_json(
        "two_factor.json",
        [
            {
                "type": authenticator.type,
                "created_at": authenticator.created_at,
                "last_used_at": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    )
