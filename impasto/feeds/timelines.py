"""Home timelines in Redis: capped per-reader lists of post ids, filled on write.

The Mastodon design: when someone posts, a task pushes the post's id onto the home list of
each follower whose list exists (``LPUSHX``: only readers active in the last ``TTL`` have one),
trimmed to ``CAP`` ids. A reader whose list is missing (new, or away for a week) gets it
rebuilt from SQL on their next visit. The lists hold ids only, never content or decisions:
every read passes them through the same SQL filter as the SQL feed (membership, visibility,
blocks, mutes, the reader's filters), so a stale list (an unfollow, a block, a deletion, a
post turned followers-only) can never show something the reader may not see.

It is on only when the default cache is Redis (``IMPASTO_REDIS_URL``); the embedded default
reads with SQL alone. Every Redis error is logged and answered as "no list": the feed falls
back to SQL and keeps answering when Redis is down.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from impasto.core.rediscache import redis_client

log = logging.getLogger(__name__)

CAP = 400  # ids per reader, as Mastodon and Pixelfed
TTL = 7 * 86_400  # a list not read for a week expires; fan-out skips readers without one
PIPELINE_CHUNK = 1000


def _client() -> tuple[Any, RedisCache] | None:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    return redis_client(cache), cache


def enabled() -> bool:
    return isinstance(caches["default"], RedisCache)


def _key(cache: RedisCache, user_id: int) -> str:
    return cache.make_key(f"feeds:home:{user_id}")


def home_ids(user_id: int) -> list[int] | None:
    """The reader's cached ids (any order, maybe duplicated), or None: off, cold or down."""
    found = _client()
    if found is None:
        return None
    client, cache = found
    key = _key(cache, user_id)
    try:
        pipe = client.pipeline()
        pipe.lrange(key, 0, CAP - 1)
        pipe.expire(key, TTL)
        raw, _ = pipe.execute()
    except Exception:
        log.warning("home timeline read failed; answering from SQL", exc_info=True)
        return None
    if not raw:
        return None
    return [int(value) for value in raw]


def home_store(user_id: int, ids: Iterable[int]) -> None:
    """Replace the reader's list with ``ids`` (newest first): the rebuild from SQL."""
    found = _client()
    if found is None:
        return
    client, cache = found
    key = _key(cache, user_id)
    values = [str(i) for i in ids][:CAP]
    try:
        pipe = client.pipeline()
        pipe.delete(key)
        if values:
            pipe.rpush(key, *values)
            pipe.expire(key, TTL)
        pipe.execute()
    except Exception:
        log.warning("home timeline rebuild failed", exc_info=True)


def home_push(user_ids: Iterable[int], post_id: int) -> int:
    """Put ``post_id`` on top of each existing list among ``user_ids``; returns how many."""
    found = _client()
    if found is None:
        return 0
    client, cache = found
    pushed = 0
    batch: list[int] = []

    def flush() -> int:
        pipe = client.pipeline(transaction=False)
        for uid in batch:
            key = _key(cache, uid)
            pipe.lpushx(key, str(post_id))
            pipe.ltrim(key, 0, CAP - 1)
        results = pipe.execute()
        return sum(1 for length in results[::2] if length)

    try:
        for uid in user_ids:
            batch.append(uid)
            if len(batch) >= PIPELINE_CHUNK:
                pushed += flush()
                batch = []
        if batch:
            pushed += flush()
    except Exception:
        # The lists that missed this post lack it until they expire or are rebuilt (a Redis
        # that restarts empty rebuilds every list from SQL): docs/scaling.md, "Limits".
        log.warning("home timeline fan-out failed", exc_info=True)
    return pushed


def home_forget(user_id: int) -> None:
    """Drop the reader's list (they followed someone): it is rebuilt on their next visit."""
    found = _client()
    if found is None:
        return
    client, cache = found
    try:
        client.delete(_key(cache, user_id))
    except Exception:
        log.warning("home timeline invalidation failed", exc_info=True)
