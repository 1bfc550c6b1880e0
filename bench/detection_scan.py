"""CPU cost of the AI-detection scan, per detector and per kind of file.

    PYTHONPATH=. taskset -c 0 .venv/bin/python bench/detection_scan.py

Prints the median CPU time (process time, so other load on the machine matters less) of each
detector on each file, over a few rounds, in milliseconds. The blocklist column is the hashing
of the upload and its mirror image (the database query is not included).
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from PIL import Image, ImageOps  # noqa: E402

from impasto.protection.detection.base import Detector, Evidence  # noqa: E402
from impasto.protection.detection.detectors.c2pa import C2paDetector  # noqa: E402
from impasto.protection.detection.detectors.generators import (  # noqa: E402
    GeneratorParametersDetector,
)
from impasto.protection.detection.detectors.metadata import (  # noqa: E402
    IptcDetector,
    SoftwareNameDetector,
)
from impasto.protection.detection.detectors.stealth import NovelAiStealthDetector  # noqa: E402
from impasto.protection.detection.detectors.watermark import (  # noqa: E402
    StableDiffusionWatermarkDetector,
)
from impasto.protection.detection.hashing import hashes_of_image  # noqa: E402
from impasto.protection.detection.subject import Subject  # noqa: E402
from tests.protection.detection import builders as b  # noqa: E402

ROUNDS = 5


class Hashing(Detector):
    name = "blocklist-hashing"

    def detect(self, subject: Subject) -> list[Evidence]:
        image = Image.fromarray(subject.pixels()).convert("RGB")
        hashes_of_image(image)
        hashes_of_image(ImageOps.mirror(image))
        return []


FILES = {
    "A1111 PNG 128 px": b.a1111_png(),
    "C2PA AI JPEG 256 px": b.c2pa_signed(b.c2pa_manifest("trainedAlgorithmicMedia")),
    "ComfyUI PNG, 2 MiB zTXt workflow": b.comfy_big_png(),
    "NovelAI stealth PNG 256 px": b.novelai_stealth_png(),
    "SDXL-marked PNG 1024 px": b.encode(b.watermarked(b.SDXL_BITS, size=1024), "PNG"),
    "camera JPEG 4000x3000 q90": b.encode(
        b.painting(1, 4000).crop((0, 0, 4000, 3000)), "JPEG", quality=90
    ),
    "painting PNG 2048 px": b.encode(b.painting(2, 2048), "PNG"),
}
DETECTORS: list[Detector] = [
    C2paDetector(),
    IptcDetector(),
    GeneratorParametersDetector(),
    NovelAiStealthDetector(),
    StableDiffusionWatermarkDetector(),
    SoftwareNameDetector(),
    Hashing(),
]


def main() -> None:
    names = ["open+decode", *(d.name for d in DETECTORS), "total"]
    print("| file | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for label, data in FILES.items():
        samples: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(ROUNDS):
            start = time.process_time()
            subject = Subject(data)
            if subject.pixels_allowed():
                subject.pixels()
            samples["open+decode"].append(time.process_time() - start)
            for detector in DETECTORS:
                t = time.process_time()
                detector.detect(subject)
                samples[detector.name].append(time.process_time() - t)
            samples["total"].append(time.process_time() - start)
        cells = [f"{statistics.median(samples[name]) * 1000:.0f}" for name in names]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
