from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impasto.accounts.services import data_exports_purge_expired


class Command(BaseCommand):
    help = (
        "Delete the archives of data exports past their expiry date. Safe to run at any time "
        "(from cron, say daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = data_exports_purge_expired()
        self.stdout.write(f"Expired {count} data export(s).")
