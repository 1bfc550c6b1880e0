"""``impasto crawlers``: the AI crawler list, each token's category, and whether it is refused."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from impasto.protection import optout
from impasto.protection.crawlers import Category, load_crawlers


class Command(BaseCommand):
    help = "List the AI crawler tokens with their category and whether this site refuses them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--category", choices=[c.value for c in Category], help="only this category"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        blocked = optout.blocked_categories()
        rows = [
            crawler
            for crawler in load_crawlers().values()
            if options["category"] in (None, crawler.category.value)
        ]
        width = max((len(crawler.token) for crawler in rows), default=5)
        for crawler in sorted(rows, key=lambda c: (c.category.value, c.token.lower())):
            verdict = "refused" if crawler.category in blocked else "allowed"
            self.stdout.write(f"{crawler.token:<{width}}  {crawler.category.value:<13}  {verdict}")
        counts = dict.fromkeys(Category, 0)
        for crawler in rows:
            counts[crawler.category] += 1
        summary = ", ".join(f"{c.value} {n}" for c, n in counts.items() if n)
        self.stdout.write(f"{len(rows)} tokens: {summary}")
