from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impasto.protection.cloaking.services import cloak_requeue_stale


class Command(BaseCommand):
    help = "Queue again the cloaking jobs a lost task or a killed worker left behind."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"re-queued {cloak_requeue_stale()} cloak job(s)")
