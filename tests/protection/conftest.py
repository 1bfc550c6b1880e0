from __future__ import annotations

import pytest

from impasto.protection import ratelimit


class FakeClock:
    """A clock the test moves by hand, so refill is tested without sleeping."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock


@pytest.fixture(params=["locmem", "redis"])
def limiter_cache(request: pytest.FixtureRequest) -> str:
    """Run a limiter test on the default local-memory cache and on the real Redis."""
    if request.param == "redis":
        request.applymarker(pytest.mark.redis)
        request.getfixturevalue("redis_cache")
    return request.param
