"""Cost and result of the built-in cloak on CPU, per level, and what encoding leaves of it.

    PYTHONPATH=. taskset -c 0 .venv/bin/python bench/cloaking.py [--size 1080x720]

The encoder is a small convolutional network made here (four strided 3x3 convolutions,
3-32-64-64-64 channels, about 0.1 M parameters, saved with torch.jit), far smaller than a
real image encoder such as Stable Diffusion's VAE encoder (34 M parameters): the figures are
the floor of what a real encoder costs, and what the plumbing around it costs.

For each level, one run in a fresh process (torch on one thread) prints: CPU seconds
(process time, so other load on the machine matters less) and seconds per megapixel; the peak
resident memory above a process that loaded the same things and did not cloak; the steps made;
SSIM, PSNR and L-infinity of the result; and how far it moved the encoder's features. Then,
for the "default" cloak: the size of each encoding of the variant, and the share of the
feature shift left after encoding and decoding (1.0: all of it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

import numpy as np  # noqa: E402

from impasto.protection.cloaking import preserve  # noqa: E402
from impasto.protection.cloaking.backends.encoder import EncoderCloakBackend  # noqa: E402

LEVELS = ("low", "default", "high")


def painting(width: int, height: int) -> np.ndarray:
    """Smooth colour fields, a flat block and canvas grain: neither all flat nor all noise."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:height, 0:width] / max(width, height)
    image = np.stack(
        [
            128 + 100 * np.sin(6 * xx + 2 * yy),
            128 + 90 * np.cos(5 * yy),
            100 + 80 * np.sin(24 * xx * yy),
        ],
        axis=-1,
    )
    image += rng.normal(0, 6, (height, width, 3))
    image[height // 4 : height // 2, width // 4 : width // 2] = (200, 180, 150)
    return np.clip(image, 0, 255).astype(np.uint8)


def make_encoder(path: Path) -> Path:
    import torch

    torch.manual_seed(0)
    layers: list[torch.nn.Module] = []
    channels = [3, 32, 64, 64, 64]
    for a, b in itertools.pairwise(channels):
        layers += [torch.nn.Conv2d(a, b, 3, stride=2, padding=1), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.jit.script(model).save(str(path))
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(model: Path, level: str, width: int, height: int) -> dict[str, object]:
    picture = painting(width, height)
    backend = EncoderCloakBackend(model=model, threads=1, max_seconds=3600)
    assert backend.available().ok
    if level == "none":
        return {"peak_mb": peak_mb()}
    cpu = time.process_time()
    result = backend.cloak(picture, level=level)  # type: ignore[arg-type]
    cpu = time.process_time() - cpu
    megapixels = width * height / 1e6
    row: dict[str, object] = {
        "level": level,
        "cpu_s": round(cpu, 2),
        "cpu_s_per_mp": round(cpu / megapixels, 2),
        "peak_mb": peak_mb(),
        "steps": result.details["steps"],
        "ssim": round(result.ssim, 4),
        "psnr": round(result.psnr, 2),
        "linf": result.linf,
        "scale": result.details["scale"],
        "feature_shift": result.details["feature_shift"],
    }
    if level == "default":
        row["encodings"] = encodings(backend, picture, result.pixels)
    return row


def encodings(
    backend: EncoderCloakBackend, picture: np.ndarray, cloaked: np.ndarray
) -> list[dict[str, object]]:
    shift = backend.displacement(picture, cloaked)
    image = preserve.to_vips(cloaked)
    plain = preserve.to_vips(picture)
    cases = [
        ("webp lossless (kept)", "webp", preserve.encoding_options("webp", keep_pixels=True)),
        ("avif lossless (kept)", "avif", preserve.encoding_options("avif", keep_pixels=True)),
        ("jpeg Q98 4:4:4 (kept)", "jpeg", preserve.encoding_options("jpeg", keep_pixels=True)),
        ("webp Q92 (resized)", "webp", preserve.encoding_options("webp", keep_pixels=False)),
        ("usual avif Q55", "avif", {"Q": 55, "compression": "av1", "effort": 2}),
        ("usual webp Q82", "webp", {"Q": 82, "effort": 2, "smart_subsample": True}),
        ("usual jpeg Q85", "jpeg", {"Q": 85, "optimize_coding": True, "interlace": True}),
    ]
    rows = []
    for label, fmt, options in cases:
        save = image.heifsave_buffer if fmt == "avif" else getattr(image, f"{fmt}save_buffer")
        data = bytes(save(**options))
        plain_save = plain.heifsave_buffer if fmt == "avif" else getattr(plain, f"{fmt}save_buffer")
        plain_bytes = len(bytes(plain_save(**options)))
        back = preserve.decode(data)[..., :3]
        rows.append(
            {
                "encoding": label,
                "kb": round(len(data) / 1024),
                "kb_uncloaked": round(plain_bytes / 1024),
                "shift_kept": round(backend.displacement(picture, back) / shift, 2),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1080x720")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    if args.one:
        print(json.dumps(one(Path(args.model), args.one, width, height)))
        return
    with tempfile.TemporaryDirectory() as folder:
        model = make_encoder(Path(folder) / "bench-encoder.pt")
        runs = {}
        for level in ("none", *LEVELS):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    level,
                    "--model",
                    str(model),
                    "--size",
                    args.size,
                ],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "OMP_NUM_THREADS": "1"},
            )
            runs[level] = json.loads(out.stdout.strip().splitlines()[-1])
    base = runs.pop("none")["peak_mb"]
    print(f"built-in cloak, {width}x{height} ({width * height / 1e6:.2f} MP), CPU, 1 thread")
    print(
        "| level | CPU s | CPU s/MP | extra peak MB | steps | SSIM | PSNR dB | L-inf | scale"
        " | feature shift |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for level in LEVELS:
        r = runs[level]
        print(
            f"| {level} | {r['cpu_s']} | {r['cpu_s_per_mp']} | {r['peak_mb'] - base:.0f} | "
            f"{r['steps']} | {r['ssim']} | {r['psnr']} | {r['linf']} | {r['scale']} | "
            f"{r['feature_shift']} |"
        )
    print()
    print("the default cloak through each encoding")
    print("| encoding | KB cloaked | KB uncloaked | share of the feature shift kept |")
    print("|---|---|---|---|")
    for r in runs["default"]["encodings"]:
        print(f"| {r['encoding']} | {r['kb']} | {r['kb_uncloaked']} | {r['shift_kept']} |")


if __name__ == "__main__":
    main()
