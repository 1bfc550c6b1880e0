"""Artwork made by code for the demo content: no image is ever downloaded.

Each picture is a deterministic composition (soft gradients, discs, strokes and grain) from a
seed, so the demo looks like a gallery rather than a test pattern and is the same every run.
"""

from __future__ import annotations

import random

import pyvips

PALETTES = [
    [(32, 44, 57), (232, 111, 81), (246, 215, 176), (74, 124, 140)],
    [(20, 24, 38), (94, 84, 142), (231, 187, 227), (253, 244, 220)],
    [(244, 239, 230), (206, 92, 65), (52, 73, 94), (226, 176, 71)],
    [(18, 52, 59), (91, 160, 140), (234, 226, 183), (214, 124, 78)],
    [(250, 243, 221), (200, 214, 175), (140, 155, 118), (73, 80, 87)],
    [(12, 12, 20), (255, 94, 91), (255, 237, 102), (0, 206, 203)],
]


def artwork(seed: int, width: int = 1600, height: int = 1200) -> pyvips.Image:
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    top, bottom = rng.sample(palette, 2)
    # vertical gradient background
    ramp = pyvips.Image.xyz(width, height)[1] / max(height - 1, 1)
    channels = [ramp * (b - t) + t for t, b in zip(top, bottom, strict=True)]
    image = channels[0].bandjoin(channels[1:])
    # soft discs
    for _ in range(rng.randint(3, 7)):
        colour = rng.choice(palette)
        radius = rng.randint(min(width, height) // 12, min(width, height) // 3)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        mask = pyvips.Image.black(width, height).draw_circle(255, cx, cy, radius, fill=True)
        mask = mask.gaussblur(radius / 6 + 1) / 255 * rng.uniform(0.55, 0.95)
        image = image * (1 - mask) + mask * list(colour)
    # strokes
    for _ in range(rng.randint(8, 20)):
        colour = rng.choice(palette)
        x1, y1 = rng.randint(0, width), rng.randint(0, height)
        x2, y2 = (
            x1 + rng.randint(-width // 3, width // 3),
            y1 + rng.randint(-height // 6, height // 6),
        )
        line = pyvips.Image.black(width, height)
        for offset in range(rng.randint(2, 8)):
            line = line.draw_line(255, x1, y1 + offset, x2, y2 + offset)
        line = line.gaussblur(1.2) / 255 * 0.8
        image = image * (1 - line) + line * list(colour)
    # paper grain
    grain = pyvips.Image.gaussnoise(width, height, sigma=6, mean=0)
    image = image + grain
    return image.cast("uchar").copy(interpretation="srgb")


def artwork_png(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    return bytes(artwork(seed, width, height).write_to_buffer(".png"))


def artwork_jpeg(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    return bytes(artwork(seed, width, height).write_to_buffer(".jpg", Q=90))
