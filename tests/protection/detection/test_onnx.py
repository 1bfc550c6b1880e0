"""The ONNX classifier plugin, end to end with a tiny model whose output the test controls.

The model is built here with onnx's helper API (no torch): its output is the mean of the
preprocessed input, so the picture's brightness sets the score, and the preprocessing itself
(resize, scale, normalise, NCHW) is checked by the exact value that comes out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from onnx import TensorProto, helper
from PIL import Image

from impasto.protection.detection import Strength, Verdict, scan
from impasto.protection.detection.detectors.onnx import OnnxClassifierDetector
from impasto.protection.detection.subject import Subject
from tests.protection.detection import builders as b

BACKEND = "impasto.protection.detection.detectors.onnx.OnnxClassifierDetector"


def mean_model(path: Path, *, side: int | str = 32, logits: bool = False) -> Path:
    """[1, 3, side, side] -> [1, 1] mean of the input (or [1, 2] logits [-mean, mean])."""
    x = helper.make_tensor_value_info("pixels", TensorProto.FLOAT, [1, 3, side, side])
    nodes = [
        helper.make_node("ReduceMean", ["pixels"], ["m4"], axes=[1, 2, 3], keepdims=1),
        helper.make_node("Reshape", ["m4", "shape"], ["mean"]),
    ]
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [1, 1])
    out_name, out_dims = "mean", [1, 1]
    if logits:
        nodes += [
            helper.make_node("Neg", ["mean"], ["neg"]),
            helper.make_node("Concat", ["neg", "mean"], ["logits"], axis=1),
        ]
        out_name, out_dims = "logits", [1, 2]
    y = helper.make_tensor_value_info(out_name, TensorProto.FLOAT, out_dims)
    graph = helper.make_graph(nodes, "mean", [x], [y], initializer=[shape])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def grey(level: int, size: int = 300) -> bytes:
    return b.encode(Image.new("RGB", (size, size), (level, level, level)), "PNG")


@pytest.fixture
def model(tmp_path) -> Path:
    return mean_model(tmp_path / "mean.onnx")


def test_preprocessing_follows_the_documented_contract(model) -> None:
    """ImageNet normalisation of a white picture: the mean of (1 - mean) / std per channel."""
    detector = OnnxClassifierDetector(model=model)
    assert (detector.height, detector.width) == (32, 32)  # taken from the model's input
    expected = np.mean((1 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225]))
    white = Image.new("RGB", (500, 200), (255, 255, 255))
    assert detector.probability(white) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("level", "flagged"), [(255, True), (230, True), (204, False), (26, False)]
)
def test_the_threshold_decides_weak_evidence(model, level, flagged) -> None:
    detector = OnnxClassifierDetector(model=model, threshold=0.85, mean=(0, 0, 0), std=(1, 1, 1))
    found = list(detector.detect(Subject(grey(level))))
    assert bool(found) is flagged
    if flagged:
        (evidence,) = found
        assert evidence.strength is Strength.WEAK
        assert evidence.signal == "classifier-score"
        assert evidence.detail == f"mean: P(AI) {level / 255:.3f} at or above 0.85"


def test_logits_output_and_dynamic_input_size(tmp_path) -> None:
    path = mean_model(tmp_path / "logits.onnx", side="side", logits=True)
    detector = OnnxClassifierDetector(
        model=path, output="logits", ai_index=1, input_size=48, mean=(0, 0, 0), std=(1, 1, 1)
    )
    assert (detector.height, detector.width) == (48, 48)
    white = Image.new("RGB", (64, 64), "white")
    assert detector.probability(white) == pytest.approx(np.exp(1) / (np.exp(1) + np.exp(-1)))


@pytest.mark.django_db
def test_configured_in_settings_it_sends_a_bright_picture_to_review(model) -> None:
    config = [
        {
            "BACKEND": BACKEND,
            "OPTIONS": {"model": model, "threshold": 0.5, "mean": (0, 0, 0), "std": (1, 1, 1)},
        }
    ]
    with override_settings(DETECTORS=config):
        assert scan(grey(250)).verdict == Verdict.REVIEW
        assert scan(grey(20)).verdict == Verdict.CLEAR


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"model": "/nonexistent/model.onnx"}, "model not found"),
        ({"threshold": 1.5}, "threshold"),
        ({"output": "scores"}, "probability or logits"),
    ],
)
def test_misconfiguration_is_refused_at_start_up(model, options, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        OnnxClassifierDetector(**{"model": model, **options})
    with override_settings(
        DETECTORS=[{"BACKEND": BACKEND, "OPTIONS": {"model": model, **options}}]
    ):
        assert any(message in m.msg for m in run_checks() if m.id == "protection.E101")


def test_a_file_that_is_not_a_model_is_refused(tmp_path) -> None:
    bogus = tmp_path / "bogus.onnx"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ImproperlyConfigured, match="ONNX classifier model"):
        OnnxClassifierDetector(model=bogus)
