"""A hosted classifier: Hive's AI-generated image detection, v2 synchronous API.

Request (Hive's documented v2 sync shape, ../shared/ANTI-AI.md A5): ``POST`` to
``https://api.thehive.ai/api/v2/task/sync`` with ``Authorization: token <key>`` and the image in
the multipart form field ``media``. Response: ``status[0].response.output[0].classes``, a list
of ``{"class": ..., "score": ...}`` holding the binary head (``ai_generated`` /
``not_ai_generated``) and the source head (``midjourney``, ``stablediffusion``, ..., ``none``).

A score for ``ai_generated`` at or above ``threshold`` is weak evidence (a person reviews:
Hive's own users report false positives on recompressed photos). Every failure (no network, a
timeout, an HTTP error, a body over ``max_response_bytes``, an unexpected shape) raises
:class:`DetectorError`, which the scan records as ``error`` evidence: it never crashes the scan
and never holds a work. The call is skipped when a strong signal is already in hand, so the
site does not pay to confirm a declared AI image.

Privacy: this sends the original upload to a third party. Operators who enable it must say so
in their terms.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import Any

import requests
from django.core.exceptions import ImproperlyConfigured

from impasto.protection.detection import vocab
from impasto.protection.detection.base import Detector, DetectorError, Evidence, weak
from impasto.protection.detection.subject import Subject

logger = logging.getLogger(__name__)

DEFAULT_URL = "https://api.thehive.ai/api/v2/task/sync"
BINARY_CLASSES = {"ai_generated", "not_ai_generated", "none", "inconclusive", "deepfake"}


class HiveDetector(Detector):
    name = "hive"
    skip_when_strong = True

    def __init__(
        self,
        *,
        api_key: str,
        url: str = DEFAULT_URL,
        threshold: float = 0.9,
        ai_class: str = "ai_generated",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_response_bytes: int = 1 << 20,
    ) -> None:
        if not api_key:
            raise ImproperlyConfigured("The Hive detector needs an API key.")
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("The Hive detector URL must be http(s).")
        if not 0 < threshold <= 1:
            raise ImproperlyConfigured("The Hive detector threshold must be in (0, 1].")
        self.api_key = api_key
        self.url = url
        self.threshold = threshold
        self.ai_class = ai_class
        self.timeout = (connect_timeout, read_timeout)
        # The read timeout bounds each wait for bytes; this bounds the whole answer, so a server
        # that trickles bytes cannot hold the upload task either.
        self.deadline = connect_timeout + read_timeout
        self.max_response_bytes = max_response_bytes
        self.session = requests.Session()

    def __repr__(self) -> str:  # never show the key in a traceback or a log line
        return f"HiveDetector(url={self.url!r})"

    def _post(self, subject: Subject) -> bytes:
        started = time.monotonic()
        try:
            with self.session.post(
                self.url,
                headers={"Authorization": f"token {self.api_key}", "Accept": "application/json"},
                files={"media": (f"upload.{subject.extension}", subject.data, subject.mime)},
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                if response.status_code != 200:
                    raise DetectorError(f"hive answered HTTP {response.status_code}")
                body = bytearray()
                for block in response.iter_content(64 * 1024):
                    body += block
                    if len(body) > self.max_response_bytes:
                        raise DetectorError(
                            f"hive answer larger than {self.max_response_bytes} bytes"
                        )
                    if time.monotonic() - started > self.deadline:
                        raise DetectorError("hive answer took too long")
                return bytes(body)
        except requests.Timeout:
            raise DetectorError("hive did not answer in time") from None
        except requests.RequestException as error:
            raise DetectorError(f"hive unreachable: {type(error).__name__}") from None

    @staticmethod
    def classes(payload: Any) -> dict[str, float]:
        try:
            listed = payload["status"][0]["response"]["output"][0]["classes"]
            return {str(item["class"]): float(item["score"]) for item in listed}
        except (KeyError, IndexError, TypeError, ValueError):
            raise DetectorError("hive answer not in the documented v2 shape") from None

    def detect(self, subject: Subject) -> Iterable[Evidence]:
        try:
            payload = json.loads(self._post(subject))
        except ValueError:
            raise DetectorError("hive answer is not JSON") from None
        scores = self.classes(payload)
        if self.ai_class not in scores:
            raise DetectorError(f"hive answer has no {self.ai_class!r} class")
        score = scores[self.ai_class]
        logger.info("hive scored %s at %.3f", subject.name, score)
        if score < self.threshold:
            return []
        sources = {k: v for k, v in scores.items() if k not in BINARY_CLASSES | {self.ai_class}}
        likely = max(sources.items(), key=lambda item: item[1]) if sources else None
        source = f"; most likely source {likely[0]} ({likely[1]:.2f})" if likely else ""
        return [
            weak(
                vocab.HOSTED_CLASSIFIER,
                f"hive {self.ai_class} {score:.3f} at or above {self.threshold:.2f}{source}",
            )
        ]
