"""A local classifier: an ONNX model file that rates how likely a picture is AI-generated.

No model ships with Impasto and none is required. An operator who has one (a fine-tuned
detector exported to ONNX) names its file in ``IMPASTO_DETECTION_ONNX_MODEL`` and installs the
``onnx`` extra (onnxruntime, about 65 MB, kept out of the default install).

The model contract, documented in docs/detection.md:
- input: one float32 tensor ``[1, 3, H, W]`` (NCHW, RGB). ``H`` and ``W`` come from the model's
  input shape when fixed, else from ``input_size`` (default 224). The picture (first frame,
  original pixels) is resized to ``H x W`` with bicubic resampling (the whole picture, not a
  crop), scaled to [0, 1], then normalised per channel with ``mean`` and ``std`` (ImageNet's by
  default; pass ``mean=(0, 0, 0), std=(1, 1, 1)`` for none);
- output: the first output, flattened. With ``output="probability"`` (default) element
  ``ai_index`` (default 0) is P(AI) in [0, 1]. With ``output="logits"`` a softmax is taken
  over the elements (a sigmoid when there is one) and element ``ai_index`` is P(AI).

A score at or above ``threshold`` is weak evidence: classifiers err both ways, and are worst
on flat illustration, line art and scans, which is most of what artists upload. Calibrate the
threshold on art, not photos. The score and the model name are logged for every scan, so an
appeal can see them even below the threshold.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from impasto.protection.detection import vocab
from impasto.protection.detection.base import Detector, DetectorError, Evidence, weak
from impasto.protection.detection.subject import Subject

logger = logging.getLogger(__name__)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def _fixed(dim: Any) -> int | None:
    return dim if isinstance(dim, int) and dim > 0 else None


class OnnxClassifierDetector(Detector):
    name = "onnx-classifier"
    skip_when_strong = True

    def __init__(
        self,
        *,
        model: str | Path,
        threshold: float = 0.9,
        input_size: int = 224,
        mean: Sequence[float] = IMAGENET_MEAN,
        std: Sequence[float] = IMAGENET_STD,
        output: Literal["probability", "logits"] = "probability",
        ai_index: int = 0,
        threads: int = 1,
        label: str | None = None,
    ) -> None:
        try:
            import onnxruntime
        except ImportError:
            raise ImproperlyConfigured(
                "The ONNX classifier needs onnxruntime: install Impasto with the 'onnx' extra"
                " (uv pip install -e '.[onnx]')."
            ) from None
        path = Path(model)
        if not path.is_file():
            raise ImproperlyConfigured(f"ONNX classifier model not found: {path}")
        if not 0 < threshold <= 1:
            raise ImproperlyConfigured("The ONNX classifier threshold must be in (0, 1].")
        if output not in {"probability", "logits"}:
            raise ImproperlyConfigured("The ONNX classifier output must be probability or logits.")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self.session = onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors
            raise ImproperlyConfigured(f"ONNX classifier model {path}: {error}") from None
        model_input = self.session.get_inputs()[0]
        shape = list(model_input.shape)
        if len(shape) != 4:
            raise ImproperlyConfigured(
                f"ONNX classifier input must be [1, 3, H, W], the model's is {shape}"
            )
        self.input_name = model_input.name
        self.height = _fixed(shape[2]) or input_size
        self.width = _fixed(shape[3]) or input_size
        self.mean = np.asarray(mean, dtype=np.float32).reshape(3, 1, 1)
        self.std = np.asarray(std, dtype=np.float32).reshape(3, 1, 1)
        self.threshold = threshold
        self.output = output
        self.ai_index = ai_index
        self.label = label or path.stem

    def preprocess(self, image: Image.Image) -> np.ndarray:
        resized = image.convert("RGB").resize((self.width, self.height), Image.Resampling.BICUBIC)
        chw = np.asarray(resized, dtype=np.float32).transpose(2, 0, 1) / 255.0
        return ((chw - self.mean) / self.std)[np.newaxis].astype(np.float32)

    def probability(self, image: Image.Image) -> float:
        (raw, *_rest) = self.session.run(None, {self.input_name: self.preprocess(image)})
        values = np.asarray(raw, dtype=np.float64).reshape(-1)
        if self.ai_index >= values.size:
            raise DetectorError(
                f"model output has {values.size} values, ai_index is {self.ai_index}"
            )
        if self.output == "logits":
            if values.size == 1:
                return float(1 / (1 + np.exp(-values[0])))
            exp = np.exp(values - values.max())
            return float(exp[self.ai_index] / exp.sum())
        return float(values[self.ai_index])

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        if not subject.pixels_allowed():
            return []
        score = self.probability(Image.fromarray(subject.pixels()))
        logger.info("classifier %s scored %s at %.3f", self.label, subject.name, score)
        if score >= self.threshold:
            return [
                weak(
                    vocab.CLASSIFIER,
                    f"{self.label}: P(AI) {score:.3f} at or above {self.threshold:.2f}",
                )
            ]
        return []
