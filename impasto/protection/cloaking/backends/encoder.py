"""The built-in cloak: a projected-gradient attack on an image-feature encoder.

In the spirit of Glaze's and PhotoGuard's encoder attacks (../shared/ANTI-AI.md, B1): find a
small perturbation ``delta`` such that the encoder's features of ``x + delta`` are far from those
of ``x`` (``objective="away"``) or close to those of a flat grey picture (``"target"``, as
PhotoGuard's encoder attack), with ``|delta| <= epsilon`` everywhere (L-infinity). Each step
moves ``delta`` by ``epsilon / 4`` in the direction of the gradient's sign and projects it back
into the budget (PGD, Madry et al.). The start is random within the budget, from ``seed``.
The result is rounded to 8 bits, measured (SSIM, PSNR), and scaled down until it meets the
level's floors (:func:`impasto.protection.cloaking.metrics.fit_to_budget`).

The encoder is a file named in settings: a TorchScript module (``torch.jit.save``) or a
``torch.export`` program (``torch.export.save``, a ``.pt2`` file). Its contract:
input one float32 tensor ``[N, 3, H, W]``, RGB in [0, 1] (then ``(x - mean) / std`` when
``mean``/``std`` are given), any ``H x W`` when ``input_size`` is None (a fully convolutional
encoder such as a VAE's), else resized to ``input_size x input_size``; output a tensor (or a
tuple whose first item is one) of features. The picture is cut into tiles of at most
``tile`` pixels a side, each optimised on its own, so memory stays bounded on large variants.

Bounded: at most the level's ``steps`` per tile and ``max_seconds`` for the whole picture (the
time is shared among the tiles still to do; a tile that runs out keeps the steps it made).
Deterministic for a given seed when no time cap is hit, on one device and thread count.

The protection is exactly as good as the encoder is close to the one a scraper's model uses:
docs/cloaking.md says so, and what it does not protect against.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import math
import threading
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from django.core.exceptions import ImproperlyConfigured

from impasto.protection.cloaking import metrics
from impasto.protection.cloaking.base import (
    Availability,
    CloakBackend,
    CloakError,
    CloakResult,
    CloakUnavailable,
    check_pixels,
)
from impasto.protection.cloaking.levels import CloakLevel, budget_for

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

TORCH_MISSING = (
    "the built-in cloak needs torch, which is not installed on this server"
    " (install Impasto with the 'cloak' extra: scripts/install cloak)"
)
#: Each PGD step moves delta by epsilon / STEP_DIVISOR.
STEP_DIVISOR = 4
GREY = 0.5
#: Texture masking: the budget at a pixel is epsilon times min(1, local contrast / this), the
#: local contrast being the standard deviation of luminance (0-255) over a 7 x 7 window ...
TEXTURE_REFERENCE = 12.0
#: ... but never less than this fraction of epsilon, so flat areas still carry some cloak.
TEXTURE_FLOOR = 0.25
TEXTURE_WINDOW = 7


def torch_installed() -> bool:
    """Whether torch can be imported, without importing it (web processes never need it)."""
    return importlib.util.find_spec("torch") is not None


def torch_or_none() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def load_module(torch: Any, path: Path, device: Any) -> Any:
    """A ``torch.export`` program (``.pt2``) or a TorchScript file (anything else), for inference.

    TorchScript is deprecated from torch 2.10 on but still loads; ``torch.export`` is its
    successor (export with dynamic height and width, e.g. ``Dim.AUTO``, or set ``input_size``).
    """
    if path.suffix == ".pt2":
        return torch.export.load(str(path)).module().to(device)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`torch.jit", DeprecationWarning)
        module = torch.jit.load(str(path), map_location=device)
    module.eval()
    return module


def tile_edges(length: int, tile: int) -> list[tuple[int, int]]:
    """Split ``length`` into near-equal spans of at most ``tile`` (no sliver at the end)."""
    count = max(1, math.ceil(length / tile))
    bounds = [round(i * length / count) for i in range(count + 1)]
    return list(itertools.pairwise(bounds))


class EncoderCloakBackend(CloakBackend):
    name = "encoder"

    def __init__(
        self,
        *,
        model: str | Path | None,
        input_size: int | None = None,
        mean: tuple[float, float, float] | None = None,
        std: tuple[float, float, float] | None = None,
        objective: Literal["away", "target"] = "away",
        tile: int = 512,
        device: str = "auto",
        max_seconds: float = 300.0,
        seed: int = 0,
        threads: int | None = None,
        masking: bool = True,
    ) -> None:
        if objective not in {"away", "target"}:
            raise ImproperlyConfigured("The encoder cloak objective must be 'away' or 'target'.")
        if tile < 16:
            raise ImproperlyConfigured("The encoder cloak tile must be at least 16 pixels.")
        if input_size is not None and input_size < 8:
            raise ImproperlyConfigured("The encoder cloak input size must be at least 8 pixels.")
        if max_seconds <= 0:
            raise ImproperlyConfigured("The encoder cloak needs a positive max_seconds.")
        if device not in {"auto", "cpu", "cuda"} and not device.startswith("cuda:"):
            raise ImproperlyConfigured("The encoder cloak device must be auto, cpu or cuda[:N].")
        self.model_path = Path(model) if model else None
        self.input_size = input_size
        self.mean = tuple(mean) if mean else None
        self.std = tuple(std) if std else None
        self.objective = objective
        self.tile = tile
        self.device_name = device
        self.max_seconds = max_seconds
        self.seed = seed
        self.threads = threads
        self.masking = masking
        self._lock = threading.Lock()
        self._module: Any = None
        self._device: Any = None
        self._load_error = ""

    def __repr__(self) -> str:
        return f"EncoderCloakBackend(model={str(self.model_path)!r})"

    # --- loading ---------------------------------------------------------------------------
    def _load(self) -> Any:
        """The scripted encoder on its device, loaded once; CloakUnavailable when it cannot be."""
        with self._lock:
            if self._module is not None:
                return self._module
            if self._load_error:
                raise CloakUnavailable(self._load_error)
            torch = torch_or_none()
            if torch is None:
                raise CloakUnavailable(TORCH_MISSING)  # not cached: it may be installed later
            if self.model_path is None:
                self._load_error = (
                    "no encoder model file is configured (IMPASTO_CLOAK_ENCODER_MODEL)"
                )
            elif not self.model_path.is_file():
                self._load_error = f"the encoder model file {self.model_path} does not exist"
            if self._load_error or self.model_path is None:
                raise CloakUnavailable(self._load_error)
            if self.device_name == "auto":
                device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            else:
                device = torch.device(self.device_name)
            if device.type == "cuda" and not torch.cuda.is_available():
                self._load_error = (
                    f"the encoder cloak is set to {self.device_name}, and no GPU is here"
                )
                raise CloakUnavailable(self._load_error)
            if self.threads:
                torch.set_num_threads(self.threads)
            try:
                module = load_module(torch, self.model_path, device)
            except Exception as error:  # torch raises RuntimeError and friends, untyped
                self._load_error = f"the encoder model {self.model_path} cannot be loaded: {error}"
                logger.exception("encoder cloak model %s", self.model_path)
                raise CloakUnavailable(self._load_error[:300]) from None
            for parameter in module.parameters():
                parameter.requires_grad_(False)
            self._module, self._device = module, device
            return module

    def available(self) -> Availability:
        """Cheap: torch installed, the model file there, and no failed load in this process.

        It loads nothing (a web page showing the panel must not load torch and a model); a
        file that exists but does not load is found by the first cloak, which fails the job
        ``unavailable`` with the reason, and is reported here from then on.
        """
        if not torch_installed():
            return Availability(ok=False, reason=TORCH_MISSING)
        if self._load_error:
            return Availability(ok=False, reason=self._load_error[:300])
        if self.model_path is None:
            return Availability(
                ok=False,
                reason="no encoder model file is configured (IMPASTO_CLOAK_ENCODER_MODEL)",
            )
        if not self.model_path.is_file():
            return Availability(
                ok=False, reason=f"the encoder model file {self.model_path} does not exist"
            )
        return Availability(ok=True)

    # --- the attack ------------------------------------------------------------------------
    def features(self, batch: torch.Tensor) -> torch.Tensor:
        """The encoder's features of ``batch`` ([N, 3, H, W] in [0, 1]), flattened per item."""
        torch = torch_or_none()
        module = self._load()
        x = batch
        if self.input_size is not None:
            x = torch.nn.functional.interpolate(
                x, size=(self.input_size, self.input_size), mode="bilinear", align_corners=False
            )
        if self.mean is not None and self.std is not None:
            mean = torch.tensor(self.mean, device=x.device).view(1, 3, 1, 1)
            std = torch.tensor(self.std, device=x.device).view(1, 3, 1, 1)
            x = (x - mean) / std
        out = module(x)
        if isinstance(out, list | tuple):
            out = out[0]
        if not isinstance(out, torch.Tensor):
            raise CloakError("the encoder model does not return a tensor")
        return out.reshape(out.shape[0], -1).float()

    def budget_map(self, x: torch.Tensor, epsilon: float) -> torch.Tensor:
        """The L-infinity bound at each pixel ([1, 1, H, W]): epsilon, less where it is flat.

        Noise shows most, and costs most SSIM, where the picture is flat; Glaze weighs its
        perturbation by a perceptual distance for the same reason. Here the weight is the local
        contrast, which is cheap and deterministic. Without masking: epsilon everywhere.
        """
        torch = torch_or_none()
        if not self.masking:
            return torch.full_like(x[:, :1], epsilon)
        luma = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]) * 255.0
        pad = TEXTURE_WINDOW // 2
        padded = torch.nn.functional.pad(luma, (pad, pad, pad, pad), mode="replicate")
        mean = torch.nn.functional.avg_pool2d(padded, TEXTURE_WINDOW, stride=1)
        square = torch.nn.functional.avg_pool2d(padded * padded, TEXTURE_WINDOW, stride=1)
        contrast = (square - mean * mean).clamp(min=0).sqrt()
        return epsilon * (contrast / TEXTURE_REFERENCE).clamp(TEXTURE_FLOOR, 1.0)

    def _attack_tile(
        self, x: torch.Tensor, *, epsilon: float, steps: int, deadline: float, generator: Any
    ) -> tuple[torch.Tensor, int]:
        torch = torch_or_none()
        with torch.no_grad():
            bound = self.budget_map(x, epsilon)
            reference = self.features(torch.full_like(x, GREY) if self.objective == "target" else x)
        step_size = bound / STEP_DIVISOR
        noise = torch.rand(x.shape, generator=generator, dtype=torch.float32)
        delta = (noise * 2 - 1).to(x.device) * bound
        delta = (x + delta).clamp(0, 1) - x
        done = 0
        for _ in range(steps):
            if time.monotonic() >= deadline:
                break
            delta.requires_grad_(True)
            distance = torch.nn.functional.mse_loss(self.features(x + delta), reference)
            (grad,) = torch.autograd.grad(distance, delta)
            # Away: climb the distance. Target: descend it.
            direction = grad.sign() if self.objective == "away" else -grad.sign()
            with torch.no_grad():
                delta = delta + step_size * direction
                delta = torch.maximum(torch.minimum(delta, bound), -bound)
                delta = (x + delta).clamp(0, 1) - x
            done += 1
        return delta.detach(), done

    def displacement(self, original: np.ndarray, cloaked: np.ndarray) -> float:
        """How far the cloak moved the features: ``|E(x') - E(x)| / |E(x)|`` over the picture.

        Measured on the whole picture when the encoder takes a fixed input size, else per
        tile (the same tiles as the attack) and summed.
        """
        torch = torch_or_none()
        self._load()
        height, width = original.shape[:2]
        tiles = (
            [((0, height), (0, width))]
            if self.input_size
            else [
                (r, c) for r in tile_edges(height, self.tile) for c in tile_edges(width, self.tile)
            ]
        )
        moved = base = 0.0
        with torch.no_grad():
            for (top, bottom), (left, right) in tiles:
                a = self._tensor(original[top:bottom, left:right])
                b = self._tensor(cloaked[top:bottom, left:right])
                fa, fb = self.features(a), self.features(b)
                moved += float(torch.linalg.vector_norm(fb - fa)) ** 2
                base += float(torch.linalg.vector_norm(fa)) ** 2
        return math.sqrt(moved) / max(math.sqrt(base), 1e-12)

    def _tensor(self, pixels: np.ndarray) -> torch.Tensor:
        torch = torch_or_none()
        array = np.ascontiguousarray(pixels.transpose(2, 0, 1), dtype=np.float32) / 255.0
        return torch.from_numpy(array).unsqueeze(0).to(self._device)

    def cloak(
        self, pixels: np.ndarray, *, level: CloakLevel, seed: int | None = None
    ) -> CloakResult:
        check_pixels(pixels)
        budget = budget_for(level)
        torch = torch_or_none()
        self._load()
        started = time.monotonic()
        deadline = started + self.max_seconds
        generator = torch.Generator().manual_seed(self.seed if seed is None else seed)
        epsilon = budget.epsilon / 255.0
        height, width = pixels.shape[:2]
        tiles = [
            (r, c) for r in tile_edges(height, self.tile) for c in tile_edges(width, self.tile)
        ]
        delta_255 = np.zeros(pixels.shape, dtype=np.float32)
        steps_run: list[int] = []
        for index, ((top, bottom), (left, right)) in enumerate(tiles):
            # Share the time left among the tiles still to do.
            now = time.monotonic()
            tile_deadline = now + max(0.0, deadline - now) / (len(tiles) - index)
            x = self._tensor(pixels[top:bottom, left:right])
            delta, done = self._attack_tile(
                x, epsilon=epsilon, steps=budget.steps, deadline=tile_deadline, generator=generator
            )
            steps_run.append(done)
            delta_255[top:bottom, left:right] = delta[0].permute(1, 2, 0).cpu().numpy() * 255.0
        rounded = metrics.scaled(pixels, delta_255, 1.0)
        result, found, scale = metrics.fit_to_budget(pixels, rounded, budget)
        if found.linf == 0:
            raise CloakError("the cloak vanished when fitted to the budget of this level")
        seconds = time.monotonic() - started
        details = {
            "level": str(level),
            "epsilon": budget.epsilon,
            "scale": round(scale, 4),
            "steps": min(steps_run),
            "steps_max": budget.steps,
            "time_capped": min(steps_run) < budget.steps,
            "tiles": len(tiles),
            "seconds": round(seconds, 3),
            "device": str(self._device),
            "objective": self.objective,
            "feature_shift": round(self.displacement(pixels, result), 5),
        }
        logger.info("encoder cloak %sx%s at %s: %s", width, height, level, details)
        return CloakResult(
            pixels=result,
            ssim=found.ssim,
            psnr=found.psnr,
            linf=found.linf,
            backend=self.name,
            details=details,
        )
