"""The shared rate limiter: a token bucket per client, kept in Django's cache.

A bucket holds ``capacity`` tokens and gains ``refill_per_second``; each request takes one, and
a request that finds none is refused with the time until the next token (Retry-After). The
algorithm is pyrate-limiter's GCRA (``TokenBucket`` is its alias): the whole state of a bucket
is one number, the theoretical arrival time, so a check is one atomic step.

Where the state lives follows ``CACHES["default"]``:

- **Redis** (production): pyrate-limiter's ``RedisStateStore`` runs the step as one Lua script
  on the connection Django's cache already holds, so the check is a single atomic round trip,
  shared by every process and machine. No read-modify-write from Python.
- **Local memory** (the embedded default) or any other backend: the state is read and written
  through Django's cache under a process lock. That is atomic within one process, which is all a
  local-memory cache is shared by; on a backend shared between processes (database, memcached)
  it is not, and a system check says so.

If the cache cannot be reached, the request is allowed and a warning logged: losing Redis must
not take the images down (shared/SECURITY-NOTES.md, F5).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from pyrate_limiter import Decision as GcraDecision
from pyrate_limiter import Rate, RedisStateStore, StateAlgorithm, StateStore, TokenBucket
from redis.exceptions import RedisError

from impasto.core.rediscache import redis_client
from impasto.protection.clients import client_key

logger = logging.getLogger("impasto.protection")

KEY_PREFIX = "ratelimit"
_ALGORITHM = TokenBucket()


class Clock(Protocol):
    def now(self) -> float: ...


class SystemClock:
    """Wall-clock seconds. Buckets shared through Redis compare times across machines, so a
    monotonic clock (meaningful within one boot of one machine) would not do."""

    def now(self) -> float:
        return time.time()


# Tests replace this with a clock they move by hand; nothing here ever sleeps.
clock: Clock = SystemClock()


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until a token is back; 0.0 when allowed
    bucket: str
    key: str

    @property
    def retry_after_header(self) -> str:
        """Retry-After in whole seconds, rounded up, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))


@dataclass(frozen=True, slots=True)
class Limit:
    capacity: int
    refill_per_second: float

    def rate(self) -> Rate:
        if self.capacity < 1 or self.refill_per_second <= 0:
            raise ValueError("a rate limit needs capacity >= 1 and refill_per_second > 0")
        # Rate(limit, interval_ms, burst): `limit` tokens per `interval`, at most `burst` banked.
        # pyrate-limiter works in whole milliseconds; over `capacity` tokens the interval's
        # rounding is under a microsecond per token.
        interval_ms = max(1, round(self.capacity * 1000 / self.refill_per_second))
        return Rate(self.capacity, interval_ms, burst=self.capacity)


def configured_limit(bucket: str) -> Limit:
    limits: dict[str, dict[str, Any]] = getattr(settings, "RATE_LIMITS", {})
    if bucket not in limits:
        raise KeyError(f"no rate limit named {bucket!r} in settings.RATE_LIMITS")
    config = limits[bucket]
    return Limit(int(config["capacity"]), float(config["refill_per_second"]))


class CacheStateStore(StateStore):
    """GCRA state in any Django cache, one key per bucket, atomic within this process."""

    _lock = threading.Lock()

    def __init__(self, cache: BaseCache, key: str, ttl_seconds: int) -> None:
        self.cache = cache
        self.key = key
        self.ttl_seconds = ttl_seconds

    def _load(self, algorithm: StateAlgorithm, rates: list[Rate]) -> tuple[float, ...]:
        stored = self.cache.get(self.key)
        if isinstance(stored, tuple) and len(stored) == len(rates):
            return stored
        return tuple(algorithm.initial(rates))

    def check(
        self, algorithm: StateAlgorithm, rates: list[Rate], now: int, weight: int
    ) -> GcraDecision:
        with self._lock:
            new_state, decision = algorithm.step(rates, self._load(algorithm, rates), now, weight)
            if decision.allowed:
                self.cache.set(self.key, tuple(new_state), self.ttl_seconds)
            return decision

    def read(self, algorithm: StateAlgorithm, rates: list[Rate]) -> tuple[float, ...]:
        with self._lock:
            return self._load(algorithm, rates)

    def reset(self) -> None:
        self.cache.delete(self.key)


def _store(cache: BaseCache, raw_key: str, rate: Rate) -> StateStore:
    # The state matters until the bucket is full again (capacity / refill); keep it twice that.
    ttl_ms = max(1000, math.ceil(2 * rate.burst * rate.interval / rate.limit))
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(raw_key)
        # The Lua script runs on the connection pool of Django's cache (impasto.core.rediscache).
        return RedisStateStore(redis_client(cache), key, ttl_ms=ttl_ms)
    return CacheStateStore(cache, raw_key, ttl_seconds=math.ceil(ttl_ms / 1000))


def check(*, bucket: str, key: str, limit: Limit, now: float | None = None) -> Decision:
    """Take one token from ``bucket`` for client ``key``; say whether there was one."""
    rate = limit.rate()
    cache = caches["default"]
    raw_key = f"{KEY_PREFIX}:{bucket}:{key}"
    now_ms = int((clock.now() if now is None else now) * 1000)
    try:
        decision = _store(cache, raw_key, rate).check(_ALGORITHM, [rate], now_ms, 1)
        # Both stores are synchronous (the Redis client is redis-py's sync one).
        assert isinstance(decision, GcraDecision)
    except (RedisError, OSError):
        # Fail open: an unreachable cache must not refuse every image on the site.
        logger.warning("rate limit %s unavailable; allowing", bucket, exc_info=True)
        return Decision(allowed=True, retry_after=0.0, bucket=bucket, key=key)
    if decision.allowed:
        return Decision(allowed=True, retry_after=0.0, bucket=bucket, key=key)
    wait_ms = decision.retry_after_ms if decision.retry_after_ms is not None else 1000
    return Decision(allowed=False, retry_after=wait_ms / 1000, bucket=bucket, key=key)


def rate_limit(
    request: HttpRequest,
    *,
    bucket: str,
    capacity: int | None = None,
    refill_per_second: float | None = None,
    key: str | None = None,
) -> Decision:
    """Spend one of the client's tokens in ``bucket``.

    ``capacity`` and ``refill_per_second`` default to ``settings.RATE_LIMITS[bucket]``; ``key``
    defaults to the client (account, else address range; :func:`client_key`).
    """
    if capacity is None or refill_per_second is None:
        configured = configured_limit(bucket)
        capacity = configured.capacity if capacity is None else capacity
        refill_per_second = (
            configured.refill_per_second if refill_per_second is None else refill_per_second
        )
    return check(
        bucket=bucket,
        key=key if key is not None else client_key(request),
        limit=Limit(capacity, refill_per_second),
    )


def supports_atomic_limits(cache: BaseCache) -> bool:
    """True where the limiter is atomic for every process that shares the cache."""
    return isinstance(cache, RedisCache | LocMemCache)
