"""What the protection layer costs per request: the crawler match and one rate-limit check.

    .venv/bin/python bench/protection.py

Needs Redis on 127.0.0.1:6379 (database 15, its own key prefix; the key is deleted after).
"""

from __future__ import annotations

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.test import override_settings  # noqa: E402

from impasto.protection.crawlers import CrawlerMatcher, load_crawlers  # noqa: E402
from impasto.protection.ratelimit import Limit, check  # noqa: E402

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)"
)
N = 5000
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "bench-protection",
    }
}


def per_call_us(function: object, number: int = N) -> float:
    return timeit.timeit(function, number=number) / number * 1e6  # type: ignore[arg-type]


def main() -> None:
    matcher = CrawlerMatcher(load_crawlers().values())
    first_browser = per_call_us(lambda: matcher._match(CHROME))
    first_gptbot = per_call_us(lambda: matcher._match(GPTBOT))
    seen_browser = per_call_us(lambda: matcher.match(CHROME))
    print(f"crawler match, a browser, first sight:  {first_browser:7.1f} us")
    print(f"crawler match, GPTBot, first sight:     {first_gptbot:7.1f} us")
    print(f"crawler match, a browser, seen before:  {seen_browser:7.2f} us")
    limit = Limit(10**9, 1000.0)
    print(
        "rate-limit check, local memory:         "
        f"{per_call_us(lambda: check(bucket='bench', key='k', limit=limit)):7.1f} us"
    )
    with override_settings(CACHES=REDIS):
        cache = caches["default"]
        cache.set("bench-protection-get", 1)
        get = per_call_us(lambda: cache.get("bench-protection-get"), number=N // 5)
        check(bucket="bench", key="k", limit=limit)
        cost = per_call_us(lambda: check(bucket="bench", key="k", limit=limit), number=N // 5)
        print(f"Redis cache.get, for scale:             {get:7.1f} us")
        print(f"rate-limit check, Redis (one Lua call): {cost:7.1f} us")
        cache.delete("bench-protection-get")
        key = cache.make_and_validate_key("ratelimit:bench:k")
        cache._cache.get_client(key, write=True).delete(key)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
