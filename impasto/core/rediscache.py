"""The redis-py client behind Django's Redis cache, one per cache backend.

Django's ``RedisCache`` reaches Redis through ``get_client``, which builds a new redis-py
client on every call, with its table of some 170 reply callbacks: about 0.15 ms of CPU each
time. The home timelines and the rate limiter call Redis on every API request, so they keep
one client per cache backend instead (Django makes a backend per thread, so one per worker
thread). A client only holds the backend's connection pool.
"""

from __future__ import annotations

import weakref
from typing import Any

from django.core.cache.backends.redis import RedisCache

# By the backend's client object: a new cache configuration (settings changed) gets its own.
_CLIENTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def redis_client(cache: RedisCache) -> Any:
    """The redis-py client of ``cache``'s server (the first, where writes go)."""
    # Django keeps its client wrapper behind a private attribute (stable since Django 4.0).
    backend = cache._cache  # type: ignore[attr-defined]
    client = _CLIENTS.get(backend)
    if client is None:
        client = _CLIENTS[backend] = backend.get_client(None, write=True)
    return client
