from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (all queues unless --queue is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="*", help="Comma-separated queue names, or '*'.")
        parser.add_argument("--batch", action="store_true", help="Drain the queues, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = ["--queue-name", options["queue"], "--no-reload"]
        if options["batch"]:
            argv.append("--batch")
        call_command("db_worker", *argv)
