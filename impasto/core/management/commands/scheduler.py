from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from impasto.core.periodic import periodic_jobs, run_due_jobs


class Command(BaseCommand):
    help = (
        "Run the apps' periodic jobs (sweeps, purges, digests) when they are due. "
        "`impasto start` runs one; on several machines, any number may run (a job is claimed "
        "in the database, so it runs once per period)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in periodic_jobs():
                self.stdout.write(f"{job.name}\tevery {job.every}")
            return
        if options["once"]:
            self._run_due()
            return
        running = True

        def stop(signum: int, frame: object) -> None:
            nonlocal running
            running = False

        # Only the long-running loop takes over SIGTERM/SIGINT (to finish the job in hand), and
        # gives them back when it ends: `--once` runs inside other programs (cron, tests).
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while running:
                self._run_due()
                deadline = time.monotonic() + options["interval"]
                while running and time.monotonic() < deadline:
                    time.sleep(0.5)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _run_due(self) -> None:
        for result in run_due_jobs():
            status = "ok" if result.ok else "FAILED"
            self.stdout.write(f"{result.name}: {status} {result.output}".rstrip())
