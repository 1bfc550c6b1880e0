"""Images made by code for the imaging tests (no binary fixtures)."""

from __future__ import annotations

import io

import pyvips
from PIL import Image

from impasto.demo.artwork import artwork


def jpeg(width: int = 1200, height: int = 900, seed: int = 1, **save: object) -> bytes:
    return bytes(artwork(seed, width, height).jpegsave_buffer(Q=90, **save))


def png(width: int = 1200, height: int = 900, seed: int = 2) -> bytes:
    return bytes(artwork(seed, width, height).pngsave_buffer(compression=1))


def jpeg_with_exif(width: int = 900, height: int = 600, orientation: int = 6) -> bytes:
    """A camera-like JPEG: GPS position, camera make and model, an orientation tag."""
    image = Image.frombytes("RGB", (width, height), artwork(5, width, height).write_to_memory())
    exif = Image.Exif()
    exif[0x010F] = "Impasto Test Camera"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = orientation
    gps = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def heic(width: int = 800, height: int = 600) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.frombytes("RGB", (width, height), artwork(6, width, height).write_to_memory())
    buffer = io.BytesIO()
    image.save(buffer, format="HEIF", quality=85)
    return buffer.getvalue()


def animated_gif(frames: int = 4, size: int = 400) -> bytes:
    images = [
        Image.frombytes("RGB", (size, size), artwork(10 + i, size, size).write_to_memory())
        for i in range(frames)
    ]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=120, loop=0
    )
    return buffer.getvalue()


def apng(frames: int = 3, size: int = 320) -> bytes:
    images = [
        Image.frombytes("RGB", (size, size), artwork(20 + i, size, size).write_to_memory())
        for i in range(frames)
    ]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PNG", save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


def adobe_rgb_jpeg(width: int = 640, height: int = 480) -> bytes:
    """Pure sRGB red (255, 0, 0) converted to a wide-gamut profile (ProPhoto-like via libvips)."""
    red = (
        pyvips.Image.black(width, height)
        .new_from_image([255, 0, 0])
        .cast("uchar")
        .copy(interpretation="srgb")
    )
    wide = red.icc_transform("p3", input_profile="srgb", embedded=False)
    return bytes(wide.jpegsave_buffer(Q=95, keep=pyvips.enums.ForeignKeep.ICC))
