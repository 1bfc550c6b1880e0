"""Render the shell's committed images: app icons from SVG, and the landing page's artwork.

Run it after changing static/img/icon.svg, static/img/icon-maskable.svg or the artwork seed:

    .venv/bin/python scripts/make_images.py

The outputs are committed (static files, served by WhiteNoise with immutable hashed URLs), so
neither a request nor `make run` ever pays for rendering them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyvips

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from impasto.demo.artwork import artwork  # noqa: E402

IMG = ROOT / "static" / "img"
ICONS = IMG / "icons"
LANDING = IMG / "landing"

# Which of the demo compositions greets visitors: warm sienna, teal and cream, on brand.
LANDING_SEED = 12
LANDING_WIDTHS = (640, 1200)
LANDING_RATIO = 5 / 4  # portrait, height / width


def render_svg(source: Path, size: int) -> pyvips.Image:
    # svgload scales the vector drawing itself, so every size is sharp (no resampling).
    base = pyvips.Image.new_from_file(str(source), dpi=72)
    image = pyvips.Image.new_from_file(str(source), scale=size / base.width)
    if image.width != size or image.height != size:
        image = image.thumbnail_image(size, height=size, size="force")
    return image


def report(path: Path, image: pyvips.Image) -> None:
    size = path.stat().st_size
    sys.stdout.write(f"{path.relative_to(ROOT)}  {image.width}x{image.height}  {size} bytes\n")


def write_png(image: pyvips.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.pngsave(str(path), compression=9, strip=True)
    report(path, image)


def make_icons() -> None:
    icon = IMG / "icon.svg"
    maskable = IMG / "icon-maskable.svg"
    write_png(render_svg(icon, 192), ICONS / "icon-192.png")
    write_png(render_svg(icon, 512), ICONS / "icon-512.png")
    # Maskable: full-bleed background, the mark inside the central safe zone (80 % circle).
    write_png(render_svg(maskable, 512), ICONS / "icon-maskable-512.png")
    # iOS rounds the corners itself and shows no transparency: the full-bleed version fits.
    write_png(
        render_svg(maskable, 180).flatten(background=[29, 27, 34]), ICONS / "apple-touch-icon.png"
    )


def make_landing() -> None:
    LANDING.mkdir(parents=True, exist_ok=True)
    for width in LANDING_WIDTHS:
        image = artwork(LANDING_SEED, width, round(width * LANDING_RATIO))
        for path, options in (
            (LANDING / f"artwork-{width}.avif", {"Q": 55, "compression": "av1", "effort": 4}),
            (
                LANDING / f"artwork-{width}.jpg",
                {"Q": 80, "optimize_coding": True, "interlace": True},
            ),
        ):
            image.write_to_file(str(path), strip=True, **options)
            report(path, image)


if __name__ == "__main__":
    make_icons()
    make_landing()
