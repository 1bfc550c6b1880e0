"""``impasto scan FILE...``: the AI detector's verdict and evidence for each file, as JSON Lines.

One object per file on stdout, in the order given:
``{"file": ..., "verdict": "ai" | "review" | "clear", "evidence": [{"signal", "detail",
"strength"}]}``; a file that could not be read gets ``"verdict": null``, no evidence and an
``"error"``. Exit status 0 when every file was read, 2 when at least one could not be.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from impasto.protection.detection import UnreadableImage, get_detectors, scan


class Command(BaseCommand):
    help = "Print the AI-detection verdict and evidence of image files, one JSON object a line."
    # Only the detectors' configuration matters here, and it is checked below: skipping the
    # project-wide checks keeps a one-file scan quick.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Image files to scan.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            get_detectors()
        except ImproperlyConfigured as error:
            raise CommandError(f"detectors misconfigured: {error}") from None
        unreadable = 0
        for path in options["files"]:
            line: dict[str, Any] = {"file": path}
            try:
                line |= scan(path).as_dict()
            except UnreadableImage as error:
                unreadable += 1
                line |= {"verdict": None, "evidence": [], "error": str(error)}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if unreadable:
            raise CommandError(f"{unreadable} file(s) could not be read", returncode=2)
