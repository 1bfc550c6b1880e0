"""The token-bucket limiter, on the local-memory cache and on the real Redis."""

from __future__ import annotations

import ipaddress
import logging
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from impasto.accounts.models import User
from impasto.protection.clients import address_range, client_ip, client_key
from impasto.protection.ratelimit import Limit, check, rate_limit
from tests.factories import UserFactory
from tests.protection.conftest import FakeClock


def spend(key: str, limit: Limit, times: int, bucket: str = "test") -> list[bool]:
    return [check(bucket=bucket, key=key, limit=limit).allowed for _ in range(times)]


# --- the bucket --------------------------------------------------------------------------------


def test_a_full_bucket_lets_capacity_requests_through_then_refuses(
    fake_clock: FakeClock, limiter_cache: str
) -> None:
    assert spend("ip:203.0.113.1/32", Limit(5, 1.0), 8) == [True] * 5 + [False] * 3


def test_refill_over_time_gives_back_one_token_per_interval(
    fake_clock: FakeClock, limiter_cache: str
) -> None:
    limit = Limit(5, 1.0)
    spend("client", limit, 5)
    fake_clock.advance(2.5)
    assert spend("client", limit, 3) == [True, True, False]
    fake_clock.advance(0.5)
    assert spend("client", limit, 2) == [True, False]
    fake_clock.advance(3600)  # a long rest fills the bucket, and no more than capacity
    assert spend("client", limit, 6) == [True] * 5 + [False]


def test_retry_after_is_the_time_until_the_next_token(
    fake_clock: FakeClock, limiter_cache: str
) -> None:
    limit = Limit(3, 0.5)  # one token every two seconds
    spend("client", limit, 3)
    refused = check(bucket="test", key="client", limit=limit)
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(2.0, abs=0.01)
    assert refused.retry_after_header == "2"
    fake_clock.advance(1.25)
    later = check(bucket="test", key="client", limit=limit)
    assert later.retry_after == pytest.approx(0.75, abs=0.01)
    assert later.retry_after_header == "1"  # rounded up, never 0
    fake_clock.advance(0.75)
    assert check(bucket="test", key="client", limit=limit).allowed


def test_a_refused_request_spends_nothing(fake_clock: FakeClock, limiter_cache: str) -> None:
    limit = Limit(1, 1.0)
    spend("client", limit, 1)
    for _ in range(20):  # hammering while empty does not push the refill further away
        assert not check(bucket="test", key="client", limit=limit).allowed
    fake_clock.advance(1.0)
    assert check(bucket="test", key="client", limit=limit).allowed


def test_clients_and_buckets_are_counted_apart(fake_clock: FakeClock, limiter_cache: str) -> None:
    limit = Limit(2, 1.0)
    assert spend("ip:203.0.113.1/32", limit, 3) == [True, True, False]
    assert spend("ip:203.0.113.2/32", limit, 1) == [True]
    assert spend("ip:203.0.113.1/32", limit, 1, bucket="other") == [True]


def test_settings_give_the_default_limits(fake_clock: FakeClock, limiter_cache: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    with override_settings(RATE_LIMITS={"variants": {"capacity": 2, "refill_per_second": 1}}):
        assert [rate_limit(request, bucket="variants").allowed for _ in range(3)] == [
            True,
            True,
            False,
        ]
    with pytest.raises(KeyError, match="no rate limit named"):
        rate_limit(request, bucket="nonexistent")


def test_the_production_clock_is_wall_time(limiter_cache: str) -> None:
    # No fake clock: a burst well inside capacity passes, the one past it does not.
    assert spend("client", Limit(3, 0.001), 4) == [True, True, True, False]


# --- who the client is -------------------------------------------------------------------------


def hit_from(address: str, *, capacity: int = 2, forwarded_for: str | None = None) -> bool:
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", headers=headers, REMOTE_ADDR=address)
    return rate_limit(request, bucket="v", capacity=capacity, refill_per_second=0.01).allowed


def test_signed_in_clients_are_counted_per_account_across_addresses(
    fake_clock: FakeClock, limiter_cache: str, db: None
) -> None:
    user: User = UserFactory.create()
    other: User = UserFactory.create()
    factory = RequestFactory()

    def hit(who: User, address: str) -> bool:
        request = factory.get("/", REMOTE_ADDR=address)
        request.user = who
        return rate_limit(request, bucket="variants", capacity=2, refill_per_second=0.01).allowed

    assert hit(user, "203.0.113.1")
    assert hit(user, "2001:db8::1")
    assert not hit(user, "198.51.100.9")  # a new address does not give a new bucket
    assert hit(other, "203.0.113.1")  # another account on the same address has its own


def test_anonymous_clients_are_counted_per_address(
    fake_clock: FakeClock, limiter_cache: str
) -> None:
    assert hit_from("203.0.113.1", capacity=1)
    assert not hit_from("203.0.113.1", capacity=1)
    assert hit_from("203.0.113.2", capacity=1)


def test_ipv6_addresses_share_a_bucket_per_64(fake_clock: FakeClock, limiter_cache: str) -> None:
    assert hit_from("2001:db8:1:2::1")
    assert hit_from("2001:db8:1:2:ffff:ffff:ffff:fffe")
    assert not hit_from("2001:db8:1:2:abcd::9")  # the third address in the same /64
    assert hit_from("2001:db8:1:3::1")  # the next /64 is someone else


def test_client_keys() -> None:
    factory = RequestFactory()
    assert client_key(factory.get("/", REMOTE_ADDR="203.0.113.9")) == "ip:203.0.113.9/32"
    assert (
        client_key(factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "ip:2001:db8:1:2::/64"
    )
    # An IPv4 client seen through an IPv6 socket is the same client.
    assert client_key(factory.get("/", REMOTE_ADDR="::ffff:203.0.113.9")) == "ip:203.0.113.9/32"
    assert client_key(factory.get("/", REMOTE_ADDR="not an address")) == "ip:unknown"
    with override_settings(RATE_LIMIT_IPV4_PREFIX=24, RATE_LIMIT_IPV6_PREFIX=48):
        assert address_range(ipaddress.ip_address("203.0.113.9")) == "203.0.113.0/24"
        assert address_range(ipaddress.ip_address("2001:db8:1:2::1")) == "2001:db8:1::/48"


def test_a_spoofed_x_forwarded_for_is_ignored_unless_proxies_are_trusted() -> None:
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert str(client_ip(spoofed)) == "203.0.113.5"
    # Behind one proxy of ours: REMOTE_ADDR is the proxy, and the last entry is what the proxy
    # saw. Whatever the client wrote before it ("6.6.6.6") is ignored.
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert str(client_ip(proxied)) == "198.51.100.7"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert str(client_ip(proxied)) == "6.6.6.6"
        # Fewer entries than trusted proxies: misconfigured, fall back to the socket address.
        short = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert str(client_ip(short)) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")
        assert str(client_ip(garbage)) == "10.0.0.2"


def test_spoofing_x_forwarded_for_does_not_earn_fresh_buckets(
    fake_clock: FakeClock, limiter_cache: str
) -> None:
    results = [hit_from("203.0.113.5", forwarded_for=f"198.51.100.{n}") for n in range(5)]
    assert results == [True, True, False, False, False]


# --- atomicity -------------------------------------------------------------------------------


def test_many_threads_never_get_more_than_capacity(limiter_cache: str) -> None:
    limit = Limit(50, 0.001)
    now = 1_800_000_000.0  # one instant: nothing refills while they race
    barrier = threading.Barrier(16)

    def worker(_: int) -> int:
        barrier.wait()
        allowed = sum(
            check(bucket="race", key="client", limit=limit, now=now).allowed for _ in range(25)
        )
        caches.close_all()
        return allowed

    with ThreadPoolExecutor(max_workers=16) as pool:
        admitted = sum(pool.map(worker, range(16)))
    assert admitted == 50  # 400 attempts, exactly capacity through


def _race_in_process(args: tuple[int, float]) -> int:
    attempts, now = args
    limit = Limit(60, 0.001)
    return sum(
        check(bucket="race", key="client", limit=limit, now=now).allowed for _ in range(attempts)
    )


@pytest.mark.redis
def test_many_processes_on_redis_never_get_more_than_capacity(redis_cache: None) -> None:
    # Processes share nothing but Redis: only the server-side script can keep the count.
    context = multiprocessing.get_context("fork")
    pool = context.Pool(6)
    try:
        admitted = sum(pool.map(_race_in_process, [(40, 1_800_000_000.0)] * 6))
    except BaseException:
        pool.terminate()
        raise
    pool.close()  # the workers finish and exit on their own: no SIGTERM to rely on
    pool.join()
    assert admitted == 60  # 240 attempts from 6 processes


@pytest.mark.redis
def test_on_redis_the_bucket_is_one_key_with_an_expiry(redis_cache: None) -> None:
    check(bucket="variants", key="ip:203.0.113.1/32", limit=Limit(10, 1.0))
    cache = caches["default"]
    key = cache.make_and_validate_key("ratelimit:variants:ip:203.0.113.1/32")
    client = cache._cache.get_client(key)  # type: ignore[attr-defined]
    assert client.type(key) == b"hash"
    # Twice the time a drained bucket takes to fill (10 tokens at 1/s): 20 s.
    assert 0 < client.pttl(key) <= 20_000


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
)
def test_an_unreachable_cache_lets_requests_through_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="impasto.protection"):
        decision = check(bucket="variants", key="client", limit=Limit(1, 1.0))
        again = check(bucket="variants", key="client", limit=Limit(1, 1.0))
    assert decision.allowed
    assert again.allowed
    assert "unavailable" in caplog.text


def test_wrong_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="capacity"):
        check(bucket="x", key="y", limit=Limit(0, 1.0))
    with pytest.raises(ValueError, match="refill"):
        check(bucket="x", key="y", limit=Limit(1, 0))
