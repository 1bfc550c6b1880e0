"""How pictures are hashed for the blocklist, the same way on both sides of a match."""

from __future__ import annotations

import io

from PIL import Image

from impasto.core import perceptual
from impasto.protection.detection.subject import FORMATS

#: Pictures are hashed at this longest side: pHash and PDQ are resize-invariant (the tests
#: hold it), and hashing a 50-megapixel original at full size would only cost time.
HASH_SIDE = 512


def hashes_of_image(image: Image.Image) -> perceptual.PerceptualHashes:
    """pHash and PDQ of a picture (first frame), the way uploads are hashed when scanned."""
    copy = image.convert("RGB")
    copy.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BILINEAR)
    return perceptual.compute(copy)


def hashes_of_bytes(data: bytes) -> perceptual.PerceptualHashes:
    with Image.open(io.BytesIO(data), formats=FORMATS) as image:
        image.draft("RGB", (HASH_SIDE, HASH_SIDE))  # JPEG: decode at a reduced scale
        return hashes_of_image(image)
