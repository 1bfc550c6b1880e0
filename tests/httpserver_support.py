"""A loopback service that answers too late, without the late answer leaking into the next test.

pytest-httpserver's server lives for the whole session and clears its log after each test. A
handler still sleeping when the test ends logs its request after that clear, into the next
test's log, so a slow handler here waits for the test to release it and the test waits for
the request to be logged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug import Request, Response


@contextmanager
def answers_late(httpserver: Any, path: str, answer: Callable[[], Response]) -> Iterator[None]:
    """POST `path` answers with `answer()` only once the `with` block has ended."""
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(10)
        return answer()

    httpserver.expect_request(path, method="POST").respond_with_handler(slow)
    logged = len(httpserver.log)
    try:
        yield
    finally:
        release.set()
        deadline = time.monotonic() + 10
        while len(httpserver.log) <= logged and time.monotonic() < deadline:
            time.sleep(0.01)
