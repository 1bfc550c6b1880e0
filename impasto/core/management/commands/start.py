from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from impasto.core.management.commands.serve import gunicorn_argv, listen_address


class Command(BaseCommand):
    help = (
        "Prepare and run everything on one machine: migrate, collect static files, create the "
        "demo content on first start, then serve the site and run the task worker and the "
        "scheduler of periodic jobs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if "demo" in get_commands():
            call_command("demo", if_empty=True)

        host, port = listen_address()
        python = sys.executable
        processes = [
            subprocess.Popen(gunicorn_argv(host=host, port=port)),  # noqa: S603
            subprocess.Popen([python, "-m", "impasto.cli", "worker"]),  # noqa: S603
            subprocess.Popen([python, "-m", "impasto.cli", "scheduler"]),  # noqa: S603
        ]
        self.stdout.write(self.style.SUCCESS(f"\nImpasto is running at http://{host}:{port}/"))
        self.stdout.write(f"Data folder: {settings.DATA_DIR}  (Ctrl-C to stop)\n")

        def stop(signum: int, frame: object) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            # If one process dies, stop the others: a site without its worker is broken.
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for process in processes:
                try:
                    process.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    process.kill()
        sys.exit(max(process.returncode or 0 for process in processes))
