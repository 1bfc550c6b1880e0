from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impasto.social.services.attachments import unattached_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete post uploads never attached to a post within IMPASTO_UNATTACHED_UPLOAD_TTL_HOURS, "
        "files and all (run it hourly, e.g. cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = unattached_uploads_purge()
        self.stdout.write(f"deleted {deleted} unattached upload(s)")
