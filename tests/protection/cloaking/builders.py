"""Pictures, a tiny encoder and a pipeline adapter, all made in the test.

The encoder is a small convolutional network built with torch here, scripted with
``torch.jit.script`` and saved to a file, then loaded by the backend through the same settings
path as production. The pictures are generated: a "painting" (smooth colour fields, a flat
block, canvas grain) and a "flat" illustration (two flat colours), the two cases a cloak's
budget behaves differently on.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from impasto.protection.cloaking.base import CloakError, CloakResult
from impasto.protection.cloaking.pipeline import Variant

ENCODER = "impasto.protection.cloaking.backends.encoder.EncoderCloakBackend"
HTTP = "impasto.protection.cloaking.backends.http.HttpCloakBackend"
PIPELINE = "tests.protection.cloaking.builders.FolderPipeline"


def painting(width: int = 96, height: int = 64, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
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


def flat(width: int = 96, height: int = 64) -> np.ndarray:
    image = np.zeros((height, width, 3), np.uint8) + np.array([230, 220, 200], np.uint8)
    image[height // 3 : 2 * height // 3, width // 3 : 2 * width // 3] = (40, 60, 120)
    return image


def png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def read_png(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def tiny_encoder(path: Path, *, seed: int = 0) -> Path:
    """Three strided convolutions: [N, 3, H, W] -> [N, 16, H/8, W/8] features."""
    import torch

    torch.manual_seed(seed)

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.one = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.two = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
            self.three = torch.nn.Conv2d(16, 16, 3, stride=2, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.three(torch.relu(self.two(torch.relu(self.one(x)))))

    model = Encoder()
    if path.suffix == ".pt2":  # torch.export, height and width left dynamic
        dims = {"x": {2: torch.export.Dim.AUTO, 3: torch.export.Dim.AUTO}}
        program = torch.export.export(model, (torch.rand(1, 3, 48, 64),), dynamic_shapes=dims)
        torch.export.save(program, str(path))
        return path
    with warnings.catch_warnings():  # TorchScript is deprecated from torch 2.10 on, still loads
        warnings.filterwarnings("ignore", "`torch.jit", DeprecationWarning)
        torch.jit.script(model).save(str(path))
    return path


def encoder_config(model: Path | None, **options: Any) -> dict[str, Any]:
    return {
        "BACKEND": ENCODER,
        "OPTIONS": {"model": model, "threads": 1, **options},
        "PIPELINE": PIPELINE,
        "NOTIFY": "impasto.protection.cloaking.notify.email_owner",
        "STALE_AFTER": 600,
    }


class FolderPipeline:
    """A pipeline adapter over a folder of PNG files, as imaging's will be over its storage.

    ``FolderPipeline.root`` holds ``<asset>/display-<width>.png`` (the uncloaked variants) and,
    once stored, ``<asset>/cloaked/display-<width>.png``. ``works`` maps (owner id, work id) to
    asset ids. Class attributes, because the registry builds its own instance from a path.
    """

    root: Path
    works: dict[tuple[int, int], list[int]] = {}
    calls: list[tuple[str, int]] = []
    fail_with: Exception | None = None

    @classmethod
    def reset(cls, root: Path) -> None:
        cls.root = root
        cls.works = {}
        cls.calls = []
        cls.fail_with = None

    @classmethod
    def add(
        cls, *, owner_id: int, work_id: int, asset_id: int, widths: dict[int, np.ndarray]
    ) -> None:
        folder = cls.root / str(asset_id)
        folder.mkdir(parents=True, exist_ok=True)
        for width, pixels in widths.items():
            (folder / f"display-{width}.png").write_bytes(png(pixels))
        cls.works.setdefault((owner_id, work_id), []).append(asset_id)

    @classmethod
    def served(cls, asset_id: int) -> dict[str, np.ndarray]:
        """What a visitor gets: the cloaked file of each width when there is one."""
        folder = cls.root / str(asset_id)
        out = {}
        for path in sorted(folder.glob("display-*.png")):
            cloaked = folder / "cloaked" / path.name
            out[path.stem] = read_png((cloaked if cloaked.exists() else path).read_bytes())
        return out

    def work_assets(self, *, owner_id: int, work_id: int) -> list[int] | None:
        return self.works.get((owner_id, work_id))

    def variants(self, *, asset_id: int) -> list[Variant]:
        self.calls.append(("variants", asset_id))
        if self.fail_with is not None:
            raise self.fail_with
        folder = self.root / str(asset_id)
        if not folder.is_dir():
            raise CloakError("the image is not processed yet")
        return [
            Variant(name=path.stem, pixels=read_png(path.read_bytes()))
            for path in sorted(folder.glob("display-*.png"))
        ]

    def store(
        self, *, asset_id: int, job_id: int, cloaked: list[tuple[Variant, CloakResult]]
    ) -> None:
        self.calls.append(("store", asset_id))
        folder = self.root / str(asset_id) / "cloaked"
        folder.mkdir(exist_ok=True)
        for variant, result in cloaked:
            (folder / f"{variant.name}.png").write_bytes(png(result.pixels))

    def clear(self, *, asset_id: int) -> None:
        self.calls.append(("clear", asset_id))
        for path in (self.root / str(asset_id) / "cloaked").glob("*.png"):
            path.unlink()
