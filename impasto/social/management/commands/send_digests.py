from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from impasto.social.services.notifications import digest_recipients, digest_send
from impasto.social.tasks import digest_send_task


class Command(BaseCommand):
    help = (
        "Send the daily notification digest to everyone who opted in (run once a day from "
        "cron; running it again the same day sends nothing twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="The digest day, YYYY-MM-DD (default: today, UTC): it covers the 24 hours "
            "before that day's midnight.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one task per person for the workers instead of sending here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.now().date()
            )
        except ValueError as error:
            raise CommandError(f"--date: expected YYYY-MM-DD ({error})") from error
        people = digest_recipients()
        if options["enqueue"]:
            for user_id in people:
                digest_send_task.enqueue(user_id, day.isoformat())
            self.stdout.write(f"Queued {len(people)} digests for {day}.")
            return
        sent = sum(digest_send(user_id=user_id, day=day) for user_id in people)
        self.stdout.write(f"Sent {sent} digests for {day} ({len(people)} people opted in).")
