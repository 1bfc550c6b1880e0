"""The hosted-classifier plugin against a real HTTP server on loopback.

pytest-httpserver answers in Hive's documented v2 sync shape and checks the request the real
client (requests) sent: method, path, the ``Authorization: token`` header and the multipart
``media`` field holding the original bytes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings
from werkzeug import Request, Response

from impasto.protection.detection import Strength, Verdict, scan
from impasto.protection.detection.base import DetectorError
from impasto.protection.detection.detectors.hive import HiveDetector
from impasto.protection.detection.subject import Subject
from tests.httpserver_support import answers_late
from tests.protection.detection import builders as b

PATH = "/api/v2/task/sync"
KEY = "test-key-123"


def hive_answer(ai: float, source: str = "midjourney") -> dict[str, Any]:
    """A documented v2 response: binary head, then the source head."""
    return {
        "id": "0d1e2f",
        "status": [
            {
                "status": {"code": "0", "message": "SUCCESS"},
                "response": {
                    "input": {"media": {"type": "PHOTO"}},
                    "output": [
                        {
                            "time": 0,
                            "classes": [
                                {"class": "ai_generated", "score": ai},
                                {"class": "not_ai_generated", "score": round(1 - ai, 6)},
                                {"class": source, "score": 0.81},
                                {"class": "dalle", "score": 0.05},
                                {"class": "none", "score": 0.1},
                            ],
                        }
                    ],
                },
            }
        ],
    }


@pytest.fixture
def detector(httpserver) -> HiveDetector:
    return HiveDetector(api_key=KEY, url=httpserver.url_for(PATH), threshold=0.9, read_timeout=0.5)


def test_the_request_follows_the_documented_shape(httpserver, detector) -> None:
    upload = b.plain_png()
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        media = request.files["media"]
        assert media.read() == upload
        assert media.filename == "upload.png"
        assert media.mimetype == "image/png"
        return Response(json.dumps(hive_answer(0.97)), content_type="application/json")

    httpserver.expect_request(
        PATH, method="POST", headers={"Authorization": f"token {KEY}"}
    ).respond_with_handler(handler)
    (found,) = detector.detect(Subject(upload))
    httpserver.check_assertions()
    assert len(seen) == 1
    assert seen[0].mimetype == "multipart/form-data"
    assert found.strength is Strength.WEAK
    assert found.signal == "hosted-classifier-score"
    assert found.detail == (
        "hive ai_generated 0.970 at or above 0.90; most likely source midjourney (0.81)"
    )


def test_a_score_below_the_threshold_is_no_evidence(httpserver, detector) -> None:
    httpserver.expect_request(PATH, method="POST").respond_with_json(hive_answer(0.42))
    assert list(detector.detect(Subject(b.plain_png()))) == []


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        (lambda r: r.respond_with_data("busy", status=503), "HTTP 503"),
        (lambda r: r.respond_with_data("not json", status=200), "not JSON"),
        (lambda r: r.respond_with_json({"status": []}), "documented v2 shape"),
        (
            lambda r: r.respond_with_json(
                {"status": [{"response": {"output": [{"classes": [{"class": "x", "score": 1}]}]}}]}
            ),
            "no 'ai_generated' class",
        ),
        (lambda r: r.respond_with_data(b"[" * (2 << 20)), "larger than"),
        (
            lambda r: r.respond_with_data(
                "", status=302, headers={"Location": "http://127.0.0.1:9/"}
            ),
            "HTTP 302",
        ),
    ],
)
def test_failures_are_detector_errors(httpserver, detector, respond, message) -> None:
    respond(httpserver.expect_request(PATH, method="POST"))
    with pytest.raises(DetectorError, match=message):
        list(detector.detect(Subject(b.plain_png())))


def test_a_server_that_does_not_answer_in_time_is_an_error(httpserver, detector) -> None:
    def answer() -> Response:
        return Response(json.dumps(hive_answer(0.99)), content_type="application/json")

    with (
        answers_late(httpserver, PATH, answer),
        pytest.raises(DetectorError, match="did not answer in time"),
    ):
        list(detector.detect(Subject(b.plain_png())))
    assert len(httpserver.log) == 1  # the late answer came back here, not in another test


def test_an_unreachable_service_is_an_error() -> None:
    detector = HiveDetector(api_key=KEY, url="http://127.0.0.1:9/api/v2/task/sync")
    with pytest.raises(DetectorError, match="unreachable"):
        list(detector.detect(Subject(b.plain_png())))


@pytest.mark.django_db
def test_through_the_scan_errors_never_hold_and_strong_files_are_not_sent(httpserver) -> None:
    config = [
        {
            "BACKEND": "impasto.protection.detection.detectors.generators."
            "GeneratorParametersDetector"
        },
        {
            "BACKEND": "impasto.protection.detection.detectors.hive.HiveDetector",
            "OPTIONS": {"api_key": KEY, "url": httpserver.url_for(PATH)},
        },
    ]
    httpserver.expect_request(PATH, method="POST").respond_with_data("down", status=500)
    with override_settings(DETECTORS=config):
        failed = scan(b.plain_png())
        declared = scan(b.a1111_png())
    assert failed.verdict == Verdict.CLEAR
    assert [e.detail for e in failed.errors] == ["hive: hive answered HTTP 500"]
    assert declared.verdict == Verdict.AI
    assert len(httpserver.log) == 1  # only the plain file went out


def test_the_key_never_appears_in_its_representation() -> None:
    assert KEY not in repr(HiveDetector(api_key=KEY))
