"""``impasto refresh_crawlers FILE``: replace the AI crawler list with a newer upstream copy."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impasto.protection import crawlers

UPSTREAM = "https://github.com/ai-robots-txt/ai.robots.txt"
_SNAPSHOT = re.compile(r"(<!-- snapshot:start[^\n]*-->\n)(.*?)(<!-- snapshot:end -->)", re.DOTALL)
_COMMIT = re.compile(r"[0-9a-f]{7,40}")


def snapshot_lines(*, raw: bytes, entries: int, commit: str | None, today: datetime.date) -> str:
    source = (
        f"upstream commit `{commit}` ({UPSTREAM})"
        if commit
        else f"upstream commit not recorded ({UPSTREAM}; pass --commit next time)"
    )
    return (
        f"- Snapshot: {source}\n"
        f"- Copied: {today.isoformat()}\n"
        f"- Entries: {entries}\n"
        f"- File SHA-256: `{hashlib.sha256(raw).hexdigest()}`\n"
    )


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Replace the AI crawler list (impasto/protection/data/ai-crawlers.json) with a newer "
        "copy of upstream's robots.json: checks its shape, shows the tokens added and removed, "
        "and records the new SHA-256 (and commit) in the note beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a downloaded copy of upstream's robots.json")
        parser.add_argument("--commit", help="the upstream commit the copy was taken from")
        parser.add_argument(
            "--dry-run", action="store_true", help="show the changes, write nothing"
        )
        parser.add_argument(
            "--list-file",
            type=Path,
            default=crawlers.DATA_FILE,
            help="the list to replace (default: the shipped one); its README.md is updated",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        target: Path = options["list_file"]
        note = target.parent / "README.md"
        commit: str | None = options["commit"]
        if commit is not None and not _COMMIT.fullmatch(commit):
            raise CommandError(f"--commit {commit!r} is not a git commit hash")
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {source}: {error.strerror}") from None
        try:
            new = crawlers.parse_crawler_list(raw)
        except crawlers.CrawlerListError as error:
            raise CommandError(f"{source} is not an ai.robots.txt robots.json: {error}") from None
        old_raw = target.read_bytes()
        old = crawlers.parse_crawler_list(old_raw)
        note_text = note.read_text(encoding="utf-8")
        if not _SNAPSHOT.search(note_text):
            raise CommandError(f"{note} has no snapshot block to update")

        added = [token for token in new if token not in old]
        removed = [token for token in old if token not in new]
        recategorised = [
            (token, crawlers.categorise(token, old[token]), crawlers.categorise(token, facts))
            for token, facts in new.items()
            if token in old
            and crawlers.categorise(token, old[token]) != crawlers.categorise(token, facts)
        ]
        self.stdout.write(f"{len(old)} entries now, {len(new)} in {source}.")
        for token in added:
            category = crawlers.categorise(token, new[token])
            self.stdout.write(f"  + {token}  ({category.value})")
        for token in removed:
            self.stdout.write(f"  - {token}")
        for token, before, after in recategorised:
            self.stdout.write(f"  ~ {token}  ({before.value} -> {after.value})")
        if raw == old_raw:
            self.stdout.write("The list is already this copy; nothing to do.")
            return
        if not (added or removed or recategorised):
            self.stdout.write("No tokens added or removed; descriptions changed.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing written.")
            return

        lines = snapshot_lines(
            raw=raw, entries=len(new), commit=commit, today=datetime.date.today()
        )
        _write_atomically(target, raw)
        _write_atomically(
            note,
            _SNAPSHOT.sub(lambda m: m.group(1) + lines + m.group(3), note_text).encode("utf-8"),
        )
        crawlers.load_crawlers.cache_clear()
        crawlers.matcher.cache_clear()
        self.stdout.write(
            self.style.SUCCESS(
                f"Replaced {target} and updated {note}. Review the categories of new tokens in "
                "docs/protection.md, then commit both files."
            )
        )
