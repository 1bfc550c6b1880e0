from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from impasto.accounts.services import accounts_purge_due


class Command(BaseCommand):
    help = (
        "Erase every account whose deletion grace period is over. Safe to run at any time and "
        "as often as you like (from cron, say hourly): it only erases what is due."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = accounts_purge_due()
        days = settings.ACCOUNTS_DELETION_GRACE_PERIOD.days
        self.stdout.write(
            f"Erased {len(erased)} account(s) whose {days}-day grace period was over."
        )
