from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env, load

ENCODER = "impasto.protection.cloaking.backends.encoder.EncoderCloakBackend"
HTTP = "impasto.protection.cloaking.backends.http.HttpCloakBackend"


def test_no_variable_means_no_backend(monkeypatch) -> None:
    cloaking = Env().cloaking()
    assert cloaking["BACKEND"] is None
    assert cloaking["PIPELINE"].endswith("ImagingCloakPipeline")


def test_an_encoder_model_picks_the_built_in_backend(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_CLOAK_ENCODER_MODEL", "/srv/models/vae-encoder.pt2")
    monkeypatch.setenv("IMPASTO_CLOAK_MAX_SECONDS", "90")
    monkeypatch.setenv("IMPASTO_CLOAK_DEVICE", "cuda:1")
    cloaking = Env().cloaking()
    assert cloaking["BACKEND"] == ENCODER
    assert cloaking["OPTIONS"]["model"] == Path("/srv/models/vae-encoder.pt2")
    assert cloaking["OPTIONS"]["max_seconds"] == 90
    assert cloaking["OPTIONS"]["device"] == "cuda:1"
    assert cloaking["STALE_AFTER"] == 690


def test_a_service_url_picks_the_http_backend_with_its_key(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_CLOAK_HTTP_URL", "https://cloak.example/v1/cloak")
    monkeypatch.setenv("IMPASTO_CLOAK_HTTP_KEY", "sekret")
    cloaking = Env().cloaking()
    assert cloaking["BACKEND"] == HTTP
    assert cloaking["OPTIONS"]["url"] == "https://cloak.example/v1/cloak"
    assert cloaking["OPTIONS"]["api_key"] == "sekret"


def test_a_dotted_path_names_a_backend_of_ones_own(monkeypatch) -> None:
    monkeypatch.setenv("IMPASTO_CLOAK_BACKEND", "studio.cloaks.Backend")
    assert Env().cloaking()["BACKEND"] == "studio.cloaks.Backend"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IMPASTO_CLOAK_BACKEND", "glaze"),
        ("IMPASTO_CLOAK_HTTP_URL", "cloak.example/v1"),
        ("IMPASTO_CLOAK_DEVICE", "tpu"),
        ("IMPASTO_CLOAK_MAX_SECONDS", "0"),
    ],
)
def test_bad_cloak_settings_stop_start_up_naming_the_variable(monkeypatch, name, value) -> None:
    monkeypatch.setenv(name, value)
    load.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=name):
            load()
    finally:
        load.cache_clear()
