from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impasto.imaging import services


class Command(BaseCommand):
    help = (
        "Re-queue media assets stuck in processing, and delete the files of deleted assets "
        "that are still stored (run it every few minutes, e.g. cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = services.asset_sweep()
        self.stdout.write(f"re-queued {len(requeued)} asset(s)")
        purged = services.blobs_purge()
        self.stdout.write(f"purged {purged} file(s) of deleted assets")
