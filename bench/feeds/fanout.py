"""The write side of Redis home timelines: time from posting to being in every follower's list.

    IMPASTO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/impasto_feeds_bench \\
    IMPASTO_REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/feeds/fanout.py

On the seeded database (seed.py): warms the home lists of an author's followers (as their
first visit would), then, ``--repeat`` times, creates a post through ``post_create`` and
runs the fan-out (``home_fanout``, what ``home_fanout_task`` does in a worker), and checks
the post is on top of every follower's list. Prints p50/p99 of the whole (post + fan-out)
for an ordinary author (about 200 followers) and for ``star`` (every user follows them).
Task queueing latency is not included: a worker picks a task up within its poll interval.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from impasto.accounts.models import User  # noqa: E402
from impasto.feeds import timelines  # noqa: E402
from impasto.feeds.services import home_fanout  # noqa: E402
from impasto.social.models import Follow, Post  # noqa: E402
from impasto.social.services.posts import post_create  # noqa: E402


def measure(author: User, repeat: int) -> dict[str, object]:
    followers = list(
        Follow.objects.filter(followee=author, state="accepted").values_list(
            "follower_id", flat=True
        )
    )
    started = time.perf_counter()
    for uid in followers:  # what each follower's first visit does: a list exists
        timelines.home_store(uid, [1])
    warm_s = time.perf_counter() - started
    samples = []
    for n in range(repeat):
        started = time.perf_counter()
        post = post_create(author=author, body=f"fan-out bench {n}")
        pushed = home_fanout(post_id=post.pk)
        samples.append(time.perf_counter() - started)
        assert pushed >= len(followers), pushed
        for uid in followers[:: max(1, len(followers) // 50)]:
            assert (timelines.home_ids(uid) or [0])[0] == post.pk
        Post.objects.filter(pk=post.pk).delete()
    samples.sort()
    return {
        "author": author.handle,
        "followers": len(followers),
        "repeat": repeat,
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000, 1),
        "warm_lists_s": round(warm_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not timelines.enabled():
        sys.exit("Set IMPASTO_REDIS_URL: the fan-out writes to Redis.")
    ordinary = User.objects.get(handle="artist2")
    star = User.objects.get(handle="star")
    print(json.dumps(measure(ordinary, args.repeat)), flush=True)
    print(json.dumps(measure(star, max(5, args.repeat // 3))), flush=True)


if __name__ == "__main__":
    main()
