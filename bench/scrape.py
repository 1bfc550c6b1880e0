"""The scraper simulation's table for docs/protection.md, reproducibly.

Runs tests/protection/test_scraper.py (a live server on loopback, three simulated scrapers,
each bounded by a deadline and a request budget) with IMPASTO_SCRAPE_REPORT set, and prints
what each scraper obtained as a Markdown table.

    .venv/bin/python bench/scrape.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "scrape.json"
        env = {**os.environ, "IMPASTO_SCRAPE_REPORT": str(report)}
        command = [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:randomly", "-q",
                   "tests/protection/test_scraper.py"]  # fmt: skip
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0 or not report.exists():
            print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
            return 1
        data = json.loads(report.read_text())
    print(
        f"{data['artists']} artists, {data['works']} works (5 widths x AVIF/WebP/JPEG each);"
        f" variants bucket {data['capacity']} then {data['refill_per_second']:g}/s;"
        f" each scraper stops after {data['deadline_s']:g} s or {data['max_requests']} requests."
    )
    print()
    print("| scraper | requests | seconds | image URLs found | images obtained | widths obtained"
          " (images) | answers |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for haul in data["hauls"]:
        widths = ", ".join(f"{w}: {n}" for w, n in haul["widths"].items()) or "none"
        answers = ", ".join(f"{s}: {n}" for s, n in haul["statuses"].items())
        print(
            f"| {haul['name']} | {haul['requests']} | {haul['seconds']} |"
            f" {haul['image_urls_seen']} | {haul['images']} | {widths} | {answers} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
