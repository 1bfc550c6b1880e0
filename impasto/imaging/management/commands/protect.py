from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impasto.accounts.models import User
from impasto.imaging import services
from impasto.imaging.acceptance import UploadRefused


class Command(BaseCommand):
    help = (
        "Write a protected display variant of IN to OUT (rights XMP, C2PA, owner watermark), "
        "after the same acceptance rules as an upload. A refused file exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="IN")
        parser.add_argument(
            "dest", metavar="OUT", help="Format from the suffix: .jpg, .webp, .avif"
        )
        parser.add_argument("--owner", help="Handle of the artist credited in the variant.")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = None
        if options["owner"]:
            owner = User.objects.filter(handle=options["owner"].lstrip("@").lower()).first()
            if owner is None:
                raise CommandError(f"No account with the handle {options['owner']!r}.")
        source = Path(options["source"])
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            done = services.file_protect(source=source, dest=Path(options["dest"]), owner=owner)
        except UploadRefused as refusal:
            self.stderr.write(refusal.message)
            raise SystemExit(2) from None
        self.stdout.write(
            json.dumps(
                {
                    "written": options["dest"],
                    "identity": str(done.identity),
                    "format": done.format,
                    "width": done.width,
                    "height": done.height,
                }
            )
        )
