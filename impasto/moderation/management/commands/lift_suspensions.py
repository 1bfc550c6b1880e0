from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impasto.moderation import services


class Command(BaseCommand):
    help = "Reopen accounts whose suspension has ended (the scheduler runs it every 15 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        lifted = services.sanctions_lift_expired()
        self.stdout.write(f"lifted {lifted} suspension(s)")
