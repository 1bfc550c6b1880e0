from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impasto.imaging import services
from impasto.imaging.acceptance import UploadRefused


class Command(BaseCommand):
    help = (
        "Print as JSON what FILE carries: the owner watermark (and its asset and artist), "
        "the rights metadata, and the C2PA manifest with its validation state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            report = services.file_verify(path=path)
        except UploadRefused as refusal:
            self.stderr.write(refusal.message)
            raise SystemExit(2) from None
        self.stdout.write(json.dumps(report, indent=2))
