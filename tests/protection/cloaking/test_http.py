"""The external-service backend against a real HTTP server on loopback (pytest-httpserver).

The server checks what the real client (requests) sent: method, path, the bearer key, the
multipart ``image`` (a PNG of the variant's exact pixels) and the budget fields. It answers
the way a service could: a proper cloak, or garbage of every kind, which must be refused.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from werkzeug import Request, Response

from impasto.protection.cloaking import registry
from impasto.protection.cloaking.backends.http import HttpCloakBackend
from impasto.protection.cloaking.base import CloakError
from impasto.protection.cloaking.levels import CloakLevel
from tests.httpserver_support import answers_late
from tests.protection.cloaking import builders as b

PATH = "/v1/cloak"
KEY = "cloak-key-123"


def perturbed(pixels: np.ndarray, amplitude: int, seed: int = 0) -> np.ndarray:
    noise = np.random.default_rng(seed).integers(-amplitude, amplitude + 1, pixels.shape)
    return np.clip(pixels.astype(int) + noise, 0, 255).astype(np.uint8)


@pytest.fixture
def backend(httpserver) -> HttpCloakBackend:
    return HttpCloakBackend(url=httpserver.url_for(PATH), api_key=KEY, read_timeout=0.5)


def test_the_request_follows_the_contract_and_a_good_answer_is_taken(httpserver, backend) -> None:
    picture = b.painting(64, 40)
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        sent = request.files["image"]
        assert sent.filename == "variant.png"
        assert sent.mimetype == "image/png"
        assert np.array_equal(b.read_png(sent.read()), picture)
        assert request.form["level"] == "default"
        assert request.form["epsilon"] == "8"
        assert request.form["min_ssim"] == "0.9"
        assert request.form["min_psnr"] == "33.0"
        assert request.form["seed"] == "42"
        return Response(b.png(perturbed(picture, 2)), content_type="image/png")

    httpserver.expect_request(
        PATH,
        method="POST",
        headers={"Authorization": f"Bearer {KEY}", "Accept": "image/png"},
    ).respond_with_handler(handler)
    result = backend.cloak(picture, level=CloakLevel.DEFAULT, seed=42)
    httpserver.check_assertions()
    assert len(seen) == 1
    assert seen[0].mimetype == "multipart/form-data"
    assert np.array_equal(result.pixels, perturbed(picture, 2))
    assert result.backend == "http"
    assert result.linf == 2
    assert result.ssim >= 0.9
    assert result.psnr >= 33


def answer_png(pixels: np.ndarray):
    return lambda r: r.respond_with_data(b.png(pixels), content_type="image/png")


PICTURE = b.painting(64, 40)


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        (answer_png(perturbed(PICTURE, 40)), "over the low budget \\(a pixel changed by 40 > 4"),
        (answer_png(PICTURE), "returned the picture unchanged"),
        (answer_png(b.painting(40, 64)), "answered a 40x64 picture for a 64x40 one"),
        (
            answer_png(np.zeros((40, 64, 3), np.uint8)),
            "over the low budget .*SSIM .* PSNR",
        ),
        (
            lambda r: r.respond_with_data(b"GIF89a....", content_type="image/png"),
            "not answer with a PNG",
        ),
        (lambda r: r.respond_with_data(b"\x89PNG\r\n\x1a\ngarbage"), "PNG does not decode"),
        (
            lambda r: r.respond_with_json(
                {"error": "too_large", "message": "images over 4096 px are refused"}, status=422
            ),
            "answered HTTP 422: images over 4096 px are refused",
        ),
        (
            lambda r: r.respond_with_json(
                {"error": "busy"}, status=503, headers={"Retry-After": "30"}
            ),
            "answered HTTP 503: busy \\(retry after 30 s\\)",
        ),
        (lambda r: r.respond_with_data("oops", status=500), "answered HTTP 500$"),
        (
            lambda r: r.respond_with_data(
                "", status=302, headers={"Location": "http://127.0.0.1:9/"}
            ),
            "HTTP 302",
        ),
        (lambda r: r.respond_with_data(b"\x89PNG" + b"0" * (2 << 20)), "more than 1048576 bytes"),
    ],
)
def test_garbage_and_refusals_never_replace_the_picture(httpserver, respond, message) -> None:
    backend = HttpCloakBackend(
        url=httpserver.url_for(PATH), api_key=KEY, read_timeout=2, max_response_bytes=1 << 20
    )
    respond(httpserver.expect_request(PATH, method="POST"))
    with pytest.raises(CloakError, match=message):
        backend.cloak(PICTURE, level=CloakLevel.LOW)


def test_a_service_that_does_not_answer_in_time_is_an_error(httpserver, backend) -> None:
    def answer() -> Response:
        return Response(json.dumps({}), content_type="application/json")

    with answers_late(httpserver, PATH, answer), pytest.raises(CloakError, match="in time"):
        backend.cloak(PICTURE, level=CloakLevel.LOW)
    assert len(httpserver.log) == 1  # the late answer came back here, not in another test


def test_an_unreachable_service_is_an_error() -> None:
    backend = HttpCloakBackend(url="http://127.0.0.1:9/v1/cloak", api_key=KEY)
    with pytest.raises(CloakError, match="unreachable"):
        backend.cloak(PICTURE, level=CloakLevel.LOW)


def test_from_settings_without_url_or_key_it_is_not_available(httpserver) -> None:
    http = "impasto.protection.cloaking.backends.http.HttpCloakBackend"
    for options, reason in [
        ({"url": None, "api_key": KEY}, "no cloaking service URL"),
        ({"url": httpserver.url_for(PATH), "api_key": None}, "no cloaking service key"),
    ]:
        with override_settings(CLOAKING={"BACKEND": http, "OPTIONS": options}):
            availability = registry.get_backend().available()
        assert availability.ok is False
        assert reason in availability.reason
    with override_settings(
        CLOAKING={"BACKEND": http, "OPTIONS": {"url": httpserver.url_for(PATH), "api_key": KEY}}
    ):
        assert registry.get_backend().available().ok


def test_a_bad_url_stops_start_up_and_the_key_never_shows() -> None:
    with pytest.raises(ImproperlyConfigured, match="http"):
        HttpCloakBackend(url="ftp://cloak.example/", api_key=KEY)
    assert KEY not in repr(HttpCloakBackend(url="https://cloak.example/v1", api_key=KEY))


@pytest.mark.django_db
def test_through_a_job_a_garbage_answer_leaves_the_work_as_it_was(
    httpserver, folder_pipeline, django_capture_on_commit_callbacks
) -> None:
    from impasto.protection.cloaking.models import CloakJob
    from impasto.protection.cloaking.services import cloak_request
    from tests.factories import UserFactory

    artist = UserFactory.create()
    picture = b.painting(64, 40)
    folder_pipeline.add(owner_id=artist.pk, work_id=1, asset_id=11, widths={64: picture})
    folder_pipeline.add(owner_id=artist.pk, work_id=1, asset_id=12, widths={64: b.flat(64, 40)})
    garbage = np.random.default_rng(0).integers(0, 256, picture.shape, dtype=np.uint8)

    def handler(request: Request) -> Response:
        sent = b.read_png(request.files["image"].read())
        # A proper cloak for the first image, noise for the second.
        answer = perturbed(sent, 2) if np.array_equal(sent, picture) else garbage
        return Response(b.png(answer), content_type="image/png")

    httpserver.expect_request(PATH, method="POST").respond_with_handler(handler)
    config = {
        "BACKEND": b.HTTP,
        "OPTIONS": {"url": httpserver.url_for(PATH), "api_key": KEY},
        "PIPELINE": b.PIPELINE,
        "NOTIFY": None,
    }
    with override_settings(CLOAKING=config), django_capture_on_commit_callbacks(execute=True):
        cloak_request(owner=artist, work_id=1, asset_ids=[11, 12], level="default")
    done, failed = CloakJob.objects.order_by("asset_id")
    assert (done.status, done.backend) == (CloakJob.Status.DONE, "http")
    assert np.array_equal(folder_pipeline.served(11)["display-64"], perturbed(picture, 2))
    assert failed.status == CloakJob.Status.FAILED
    assert "over the default budget" in failed.error
    assert np.array_equal(folder_pipeline.served(12)["display-64"], b.flat(64, 40))
