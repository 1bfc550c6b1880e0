"""The built-in cloak, end to end with a tiny encoder built and scripted in the test.

It proves the plumbing (a variant in, a cloaked variant of the same size out, the encoder's
features moved, and moved further than random noise of the same bound moves them), the budget
(L-infinity, SSIM and PSNR at every level, higher levels moving features further), determinism
for a seed, the "over budget gets shrunk" path, the caps, and what happens without torch.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from impasto.protection.cloaking import metrics, registry
from impasto.protection.cloaking.backends import encoder as encoder_module
from impasto.protection.cloaking.backends.encoder import EncoderCloakBackend, tile_edges
from impasto.protection.cloaking.base import CloakError, CloakUnavailable
from impasto.protection.cloaking.levels import BUDGETS, CloakLevel
from tests.protection.cloaking import builders as b

LEVELS = [CloakLevel.LOW, CloakLevel.DEFAULT, CloakLevel.HIGH]


@pytest.fixture
def backend(encoder_file) -> EncoderCloakBackend:
    with override_settings(CLOAKING=b.encoder_config(encoder_file)):
        built = registry.get_backend()
    assert isinstance(built, EncoderCloakBackend)
    return built


def test_loaded_from_settings_it_cloaks_a_variant_into_one_of_the_same_size(backend) -> None:
    picture = b.painting(96, 64)
    result = backend.cloak(picture, level=CloakLevel.DEFAULT)
    assert backend.available().ok
    assert result.pixels.shape == picture.shape
    assert result.pixels.dtype == np.uint8
    assert result.backend == "encoder"
    assert not np.array_equal(result.pixels, picture)
    assert result.details["steps"] == BUDGETS[CloakLevel.DEFAULT].steps
    assert result.details["device"] == "cpu"
    # The features moved, by the backend's own measure and by a fresh look through the encoder.
    assert result.details["feature_shift"] > 0.02
    assert backend.displacement(picture, result.pixels) == pytest.approx(
        result.details["feature_shift"], abs=1e-4
    )


def test_a_torch_export_program_works_like_a_torchscript_file(tmp_path, encoder_file) -> None:
    exported = b.tiny_encoder(tmp_path / "tiny-encoder.pt2")
    picture = b.painting(80, 56)
    scripted = EncoderCloakBackend(model=encoder_file, threads=1)
    program = EncoderCloakBackend(model=exported, threads=1)
    assert program.available().ok
    # The same weights (same torch seed) either way: the same cloak.
    first = scripted.cloak(picture, level=CloakLevel.LOW, seed=3)
    second = program.cloak(picture, level=CloakLevel.LOW, seed=3)
    assert np.abs(first.pixels.astype(int) - second.pixels).max() <= 1
    assert second.details["feature_shift"] > 0.01


def test_the_cloak_moves_features_further_than_random_noise_of_the_same_bound(backend) -> None:
    picture = b.painting(96, 64)
    result = backend.cloak(picture, level=CloakLevel.DEFAULT)
    epsilon = BUDGETS[CloakLevel.DEFAULT].epsilon
    noise = np.random.default_rng(5).choice([-epsilon, epsilon], size=picture.shape)
    noisy = metrics.scaled(picture, noise.astype(np.float32), 1.0)
    assert metrics.measure(picture, noisy).linf == epsilon  # more change than the cloak makes
    assert backend.displacement(picture, result.pixels) > 2 * backend.displacement(picture, noisy)


@pytest.mark.parametrize("picture", [b.painting(96, 64), b.flat(96, 64)], ids=["painting", "flat"])
def test_every_level_stays_within_its_budget(backend, picture) -> None:
    shifts = []
    for level in LEVELS:
        budget = BUDGETS[level]
        result = backend.cloak(picture, level=level)
        change = np.abs(result.pixels.astype(int) - picture.astype(int))
        assert change.max() <= budget.epsilon
        # Measured again here with scikit-image, not taken from the result.
        ssim = structural_similarity(picture, result.pixels, channel_axis=2, data_range=255)
        psnr = peak_signal_noise_ratio(picture, result.pixels, data_range=255)
        assert ssim >= budget.min_ssim
        assert psnr >= budget.min_psnr
        assert result.ssim == pytest.approx(ssim)
        assert result.psnr == pytest.approx(psnr)
        assert result.linf == change.max()
        shifts.append(result.details["feature_shift"])
    assert shifts[0] < shifts[1] < shifts[2], shifts


def test_the_same_seed_gives_the_same_cloak_and_another_seed_another(backend) -> None:
    picture = b.painting(64, 48)
    first = backend.cloak(picture, level=CloakLevel.LOW, seed=7)
    again = backend.cloak(picture, level=CloakLevel.LOW, seed=7)
    other = backend.cloak(picture, level=CloakLevel.LOW, seed=8)
    assert np.array_equal(first.pixels, again.pixels)
    assert not np.array_equal(first.pixels, other.pixels)


def test_a_cloak_over_budget_is_shrunk_until_it_fits(encoder_file) -> None:
    """Without texture masking, a full-strength cloak on a flat picture breaks the SSIM floor."""
    backend = EncoderCloakBackend(model=encoder_file, masking=False, threads=1)
    picture = b.flat(96, 64)
    budget = BUDGETS[CloakLevel.HIGH]
    result = backend.cloak(picture, level=CloakLevel.HIGH)
    assert result.details["scale"] < 1.0
    assert result.ssim >= budget.min_ssim
    assert result.psnr >= budget.min_psnr
    assert 0 < result.linf < budget.epsilon  # shrunk below the L-infinity bound
    # The unshrunk cloak would have been over budget: scaling the change back up shows it.
    delta = (result.pixels.astype(np.float32) - picture) / result.details["scale"]
    assert not metrics.measure(picture, metrics.scaled(picture, delta, 1.0)).within(budget)


def test_texture_masking_keeps_flat_areas_quieter(encoder_file) -> None:
    picture = b.flat(96, 64)
    masked = EncoderCloakBackend(model=encoder_file, threads=1).cloak(picture, level=CloakLevel.LOW)
    inside_flat = np.abs(masked.pixels.astype(int) - picture)[2:18, 2:30]
    assert inside_flat.max() <= 1  # 25% of epsilon 4, rounded
    assert masked.linf == BUDGETS[CloakLevel.LOW].epsilon  # full strength at the colour edges


def test_large_pictures_are_cloaked_tile_by_tile(encoder_file) -> None:
    assert tile_edges(100, 32) == [(0, 25), (25, 50), (50, 75), (75, 100)]
    assert tile_edges(20, 32) == [(0, 20)]
    backend = EncoderCloakBackend(model=encoder_file, tile=32, threads=1)
    picture = b.painting(80, 50)
    result = backend.cloak(picture, level=CloakLevel.LOW)
    assert result.details["tiles"] == 3 * 2
    assert result.pixels.shape == picture.shape
    assert result.linf <= BUDGETS[CloakLevel.LOW].epsilon


def test_the_target_objective_pulls_features_toward_grey(encoder_file) -> None:
    import torch

    backend = EncoderCloakBackend(model=encoder_file, objective="target", threads=1)
    picture = b.painting(64, 48)
    result = backend.cloak(picture, level=CloakLevel.HIGH)
    grey = np.full_like(picture, 128)
    with torch.no_grad():
        target = backend.features(backend._tensor(grey))
        before = torch.dist(backend.features(backend._tensor(picture)), target)
        after = torch.dist(backend.features(backend._tensor(result.pixels)), target)
    assert after < 0.9 * before


def test_a_fixed_input_size_encoder_gets_resized_pictures(encoder_file) -> None:
    backend = EncoderCloakBackend(model=encoder_file, input_size=32, threads=1)
    picture = b.painting(90, 60)
    result = backend.cloak(picture, level=CloakLevel.DEFAULT)
    assert result.pixels.shape == picture.shape
    assert backend.features(backend._tensor(picture)).shape == (1, 16 * 4 * 4)
    assert result.details["feature_shift"] > 0.01


def test_the_step_and_time_caps_stop_the_optimisation(encoder_file) -> None:
    backend = EncoderCloakBackend(model=encoder_file, max_seconds=1e-9, threads=1)
    result = backend.cloak(b.painting(64, 48), level=CloakLevel.HIGH)
    # No time for a single step: the random start within the budget is all there is.
    assert result.details["steps"] == 0
    assert result.details["time_capped"] is True
    assert result.linf <= BUDGETS[CloakLevel.HIGH].epsilon


def test_bad_input_is_refused(backend) -> None:
    with pytest.raises(ValueError, match="uint8"):
        backend.cloak(b.painting().astype(np.float32), level=CloakLevel.LOW)
    with pytest.raises(ValueError, match="H x W x 3"):
        backend.cloak(b.painting()[:, :, :2], level=CloakLevel.LOW)
    with pytest.raises(CloakError, match="smaller than 7"):
        backend.cloak(b.painting(6, 20), level=CloakLevel.LOW)
    with pytest.raises(ValueError, match="no cloak budget"):
        backend.cloak(b.painting(), level=CloakLevel.OFF)


def test_without_torch_it_says_so_and_nothing_crashes(encoder_file, monkeypatch) -> None:
    monkeypatch.setattr(encoder_module, "torch_installed", lambda: False)
    monkeypatch.setattr(encoder_module, "torch_or_none", lambda: None)
    backend = EncoderCloakBackend(model=encoder_file)
    availability = backend.available()
    assert availability.ok is False
    assert "needs torch, which is not installed on this server" in availability.reason
    assert "'cloak' extra" in availability.reason
    with pytest.raises(CloakUnavailable, match="needs torch"):
        backend.cloak(b.painting(), level=CloakLevel.LOW)


def test_a_missing_model_is_reported_by_available_and_the_checks(tmp_path) -> None:
    with override_settings(CLOAKING=b.encoder_config(tmp_path / "nowhere.pt")):
        availability = registry.get_backend().available()
        assert availability.ok is False
        assert "the encoder model file" in availability.reason
        assert "does not exist" in availability.reason
        (warning,) = [m for m in run_checks() if (m.id or "").startswith("protection.W2")]
        assert warning.id == "protection.W202"
        assert "does not exist" in warning.msg


def test_a_broken_model_is_found_by_the_first_cloak_then_reported(tmp_path) -> None:
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a torchscript archive")
    backend = EncoderCloakBackend(model=broken, threads=1)
    assert backend.available().ok  # cheap: the file is there, nothing is loaded yet
    with pytest.raises(CloakUnavailable, match="cannot be loaded"):
        backend.cloak(b.painting(), level=CloakLevel.LOW)
    availability = backend.available()
    assert availability.ok is False
    assert "cannot be loaded" in availability.reason


def test_checking_availability_loads_no_model(encoder_file) -> None:
    backend = EncoderCloakBackend(model=encoder_file)
    assert backend.available().ok
    assert backend._module is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"objective": "sideways"}, "objective"),
        ({"tile": 4}, "tile"),
        ({"input_size": 2}, "input size"),
        ({"max_seconds": 0}, "max_seconds"),
        ({"device": "tpu"}, "device"),
    ],
)
def test_wrong_options_stop_start_up(tmp_path, options, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        EncoderCloakBackend(model=tmp_path / "m.pt", **options)
    with override_settings(CLOAKING=b.encoder_config(tmp_path / "m.pt", **options)):
        errors = [m for m in run_checks() if m.id == "protection.E201"]
    assert len(errors) == 1
    assert message in errors[0].msg
