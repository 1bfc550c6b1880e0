"""How the owner watermark survives what scrapers and reposters do to an image.

Marks code-made paintings (impasto.demo.artwork) at three variant widths with the pipeline's
own embedder (impasto.imaging.pipeline.watermark), encodes them as the pipeline serves them
(AVIF Q55 and JPEG Q85), applies each transform, and reads the mark back with the pipeline's
detector. Prints a Markdown table: per transform, the marks recovered and any false identity
(a different id read), per variant width; and, as a control, unmarked copies read as marked.

    PYTHONPATH=. .venv/bin/python bench/watermark.py [--images 3] [--processes 2]

Transforms: downscale to 50% and 25% (Lanczos, saved losslessly so only the scaling counts),
JPEG re-encode at quality 90, 75 and 50 (full size), crop 10% (90% of width and height kept,
offset from the top-left corner, saved losslessly), and a screenshot-like re-encode: the
picture rendered at 75% with bilinear scaling (a browser showing it in a narrower box) and
saved as PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyvips

from impasto.demo.artwork import artwork
from impasto.imaging.pipeline import watermark

KEY = b"bench-watermark-key"
ASSET_ID = 7_309_844_512_338_591_817
WIDTHS = (2048, 1080, 640)
SERVED = {"AVIF Q55": ".avif[Q=55,effort=2]", "JPEG Q85": ".jpg[Q=85]"}


def _reload(data: bytes) -> pyvips.Image:
    return pyvips.Image.new_from_buffer(data, "")


def _png(image: pyvips.Image) -> pyvips.Image:
    return _reload(image.pngsave_buffer(compression=1))


def _crop(image: pyvips.Image) -> pyvips.Image:
    width, height = round(image.width * 0.9), round(image.height * 0.9)
    return _png(image.crop(image.width - width, image.height - height, width, height))


TRANSFORMS: dict[str, Callable[[pyvips.Image], pyvips.Image]] = {
    "as served": lambda image: image,
    "downscale 50%": lambda image: _png(image.resize(0.5, kernel="lanczos3")),
    "downscale 25%": lambda image: _png(image.resize(0.25, kernel="lanczos3")),
    "JPEG q90": lambda image: _reload(image.jpegsave_buffer(Q=90)),
    "JPEG q75": lambda image: _reload(image.jpegsave_buffer(Q=75)),
    "JPEG q50": lambda image: _reload(image.jpegsave_buffer(Q=50)),
    "crop 10%": _crop,
    "screenshot (75% render, PNG)": lambda image: _png(image.resize(0.75, kernel="linear")),
}


Row = tuple[str, int, bool, int | None]


def _cell(args: tuple[int, int, str, bool]) -> list[Row]:
    """One image at one width and served format, every transform: (transform, width, marked,
    id read)."""
    seed, width, served, marked = args
    image = artwork(seed, 3000, 2000).thumbnail_image(width).copy_memory()
    if marked:
        image, _fits = watermark.embed(image, asset_id=ASSET_ID, key=KEY)
    delivered = _reload(image.write_to_buffer(SERVED[served]))
    rows: list[Row] = []
    for name, transform in TRANSFORMS.items():
        if not marked and name != "as served":
            continue
        found, _width = watermark.detect(transform(delivered), key=KEY)
        rows.append((name, width, marked, found))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    jobs = [
        (seed, width, served, marked)
        for seed in range(1, options.images + 1)
        for width in WIDTHS
        for served in SERVED
        for marked in (True, False)
    ]
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=options.processes) as pool:
        results = [row for rows in pool.map(_cell, jobs) for row in rows]
    elapsed = time.monotonic() - started
    per_cell = options.images * len(SERVED)
    print(
        f"{options.images} code-made paintings x {len(SERVED)} served formats"
        f" ({', '.join(SERVED)}) = {per_cell} marked copies per cell;"
        f" {elapsed:.0f} s on {options.processes} processes."
    )
    print()
    print("| transform | " + " | ".join(f"{w} px variant" for w in WIDTHS) + " |")
    print("| --- |" + " --- |" * len(WIDTHS))
    for name in TRANSFORMS:
        cells = []
        for width in WIDTHS:
            here = [r for r in results if r[0] == name and r[1] == width and r[2]]
            hits = sum(1 for r in here if r[3] == ASSET_ID)
            wrong = sum(1 for r in here if r[3] not in (None, ASSET_ID))
            cells.append(f"{hits}/{len(here)}" + (f" ({wrong} wrong id)" if wrong else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    control = [r for r in results if not r[2]]
    false = sum(1 for r in control if r[3] is not None)
    print()
    print(f"Control: {false} of {len(control)} unmarked copies (as served) read as marked.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
