"""An external cloaking service, reached over HTTP.

The contract (docs/cloaking.md, "The HTTP contract"), which a service implements:

Request: ``POST <url>`` with ``Authorization: Bearer <key>``, ``Accept: image/png`` and a
``multipart/form-data`` body of these fields:
- ``image``: the display variant as a PNG file (8-bit RGB, no metadata), named ``variant.png``;
- ``level``: ``low``, ``default`` or ``high``;
- ``epsilon``, ``min_ssim``, ``min_psnr``: the level's budget, which the answer is held to;
- ``seed``: an integer, for services that can be deterministic.

Answer: ``200`` with a PNG of the same width and height (RGB or RGBA; alpha is dropped). Any
other status is a refusal, with a JSON body ``{"error": "<code>", "message": "<text>"}``; a
``Retry-After`` header on ``429``/``503`` is reported with the message.

The answer is never trusted: it must decode as a PNG of the same size whose pixels are within
the level's budget (L-infinity, SSIM, PSNR, measured here) and differ from the input. Anything
else is refused with a :class:`CloakError` and the variant keeps its pixels: a service that
returns garbage must not replace an artist's work. The call has connect and read timeouts, an
overall deadline, and a cap on the size of the answer.
"""

from __future__ import annotations

import io
import json
import logging
import time
from typing import Any

import numpy as np
import requests
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from impasto.protection.cloaking import metrics
from impasto.protection.cloaking.base import (
    Availability,
    CloakBackend,
    CloakError,
    CloakResult,
    check_pixels,
)
from impasto.protection.cloaking.levels import CloakLevel, budget_for

logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_MESSAGE = 200


def encode_png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class HttpCloakBackend(CloakBackend):
    name = "http"

    def __init__(
        self,
        *,
        url: str | None,
        api_key: str | None,
        connect_timeout: float = 5.0,
        read_timeout: float = 120.0,
        max_response_bytes: int = 64 << 20,
    ) -> None:
        if url and not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("The cloaking service URL must be http(s).")
        if connect_timeout <= 0 or read_timeout <= 0:
            raise ImproperlyConfigured("The cloaking service timeouts must be positive.")
        self.url = url or ""
        self.api_key = api_key or ""
        self.timeout = (connect_timeout, read_timeout)
        # The read timeout bounds each wait for bytes; this bounds the whole answer, so a
        # service that trickles bytes cannot hold a worker either.
        self.deadline = connect_timeout + read_timeout
        self.max_response_bytes = max_response_bytes
        self.session = requests.Session()

    def __repr__(self) -> str:  # never show the key in a traceback or a log line
        return f"HttpCloakBackend(url={self.url!r})"

    def available(self) -> Availability:
        if not self.url:
            return Availability(
                False, "no cloaking service URL is configured (IMPASTO_CLOAK_HTTP_URL)"
            )
        if not self.api_key:
            return Availability(
                False, "no cloaking service key is configured (IMPASTO_CLOAK_HTTP_KEY)"
            )
        return Availability(True)

    def _post(self, png: bytes, fields: dict[str, str]) -> bytes:
        started = time.monotonic()
        try:
            with self.session.post(
                self.url,
                headers={"Authorization": f"Bearer {self.api_key}", "Accept": "image/png"},
                data=fields,
                files={"image": ("variant.png", png, "image/png")},
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                body = bytearray()
                for block in response.iter_content(64 * 1024):
                    body += block
                    if len(body) > self.max_response_bytes:
                        raise CloakError(
                            f"the cloaking service answered more than {self.max_response_bytes}"
                            " bytes"
                        )
                    if time.monotonic() - started > self.deadline:
                        raise CloakError("the cloaking service took too long to answer")
                if response.status_code != 200:
                    raise CloakError(self._refusal(response, bytes(body)))
                return bytes(body)
        except requests.Timeout:
            raise CloakError("the cloaking service did not answer in time") from None
        except requests.RequestException as error:
            raise CloakError(
                f"the cloaking service is unreachable ({type(error).__name__})"
            ) from None

    @staticmethod
    def _refusal(response: requests.Response, body: bytes) -> str:
        message = ""
        try:
            payload: Any = json.loads(body)
            if isinstance(payload, dict):
                message = str(payload.get("message") or payload.get("error") or "")
        except ValueError:
            pass
        text = f"the cloaking service answered HTTP {response.status_code}"
        if message:
            text += f": {message[:MAX_MESSAGE]}"
        retry = response.headers.get("Retry-After")
        if retry and response.status_code in {429, 503}:
            text += f" (retry after {retry[:20]} s)"
        return text

    @staticmethod
    def _decode(body: bytes, width: int, height: int) -> np.ndarray:
        if not body.startswith(PNG_SIGNATURE):
            raise CloakError("the cloaking service did not answer with a PNG")
        try:
            with Image.open(io.BytesIO(body), formats=["PNG"]) as image:
                # Checked before the pixels are decoded: a wrong size is refused unread.
                if image.size != (width, height):
                    raise CloakError(
                        f"the cloaking service answered a {image.size[0]}x{image.size[1]}"
                        f" picture for a {width}x{height} one"
                    )
                if image.mode not in {"RGB", "RGBA"}:
                    raise CloakError(f"the cloaking service answered a {image.mode} picture")
                return np.asarray(image.convert("RGB"), dtype=np.uint8)
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise CloakError(f"the cloaking service's PNG does not decode: {error}") from None

    def cloak(
        self, pixels: np.ndarray, *, level: CloakLevel, seed: int | None = None
    ) -> CloakResult:
        check_pixels(pixels)
        budget = budget_for(level)
        height, width = pixels.shape[:2]
        fields = {
            "level": str(level),
            "epsilon": str(budget.epsilon),
            "min_ssim": str(budget.min_ssim),
            "min_psnr": str(budget.min_psnr),
            "seed": str(seed or 0),
        }
        started = time.monotonic()
        answer = self._decode(self._post(encode_png(pixels), fields), width, height)
        found = metrics.measure(pixels, answer)
        if found.linf == 0:
            raise CloakError("the cloaking service returned the picture unchanged")
        if not found.within(budget):
            raise CloakError(
                f"the cloaking service's answer is over the {level} budget"
                f" ({found.shortfall(budget)}); the picture keeps its own pixels"
            )
        seconds = round(time.monotonic() - started, 3)
        logger.info("http cloak %sx%s at %s: %s in %ss", width, height, level, found, seconds)
        return CloakResult(
            pixels=answer,
            ssim=found.ssim,
            psnr=found.psnr,
            linf=found.linf,
            backend=self.name,
            details={"level": str(level), "epsilon": budget.epsilon, "seconds": seconds},
        )
