"""One redis-py client per Django cache backend (impasto/core/rediscache.py), on the real Redis."""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from impasto.core.rediscache import redis_client


def test_one_client_per_cache_backend_and_a_new_one_for_new_settings(redis_cache: None) -> None:
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = redis_client(cache)
    again = caches["default"]
    assert isinstance(again, RedisCache)
    assert redis_client(again) is client  # Django's get_client builds a new one each time
    assert client.ping() is True
    elsewhere = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=elsewhere):
        other = caches["default"]
        assert isinstance(other, RedisCache)
        assert redis_client(other) is not client
        assert redis_client(other).connection_pool.connection_kwargs["port"] == 1
    restored = caches["default"]
    assert isinstance(restored, RedisCache)
    back = redis_client(restored).connection_pool.connection_kwargs
    assert back["port"] == client.connection_pool.connection_kwargs["port"] != 1
