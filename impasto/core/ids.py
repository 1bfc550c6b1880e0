"""Time-ordered, non-sequential 64-bit identifiers.

The high bits are milliseconds since 2024-01-01 and the low 22 bits are random: ids sort by
creation time (so feeds can page by primary key alone) while a neighbour's id cannot be
guessed by counting (no walking ``/posts/1``, ``/posts/2``...). The same idea as Twitter's and
Mastodon's snowflakes, without a per-process sequence.

The values exceed JavaScript's 2**53, so the JSON API always serialises them as strings.
"""

from __future__ import annotations

import secrets
import time

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
RANDOM_BITS = 22


def snowflake(at_ms: int | None = None) -> int:
    now = int(time.time() * 1000) if at_ms is None else at_ms
    return ((now - EPOCH_MS) << RANDOM_BITS) | secrets.randbits(RANDOM_BITS)


def snowflake_floor(at_ms: int) -> int:
    """The smallest id that could have been made at ``at_ms`` (for time-range queries)."""
    return (at_ms - EPOCH_MS) << RANDOM_BITS


def snowflake_time_ms(value: int) -> int:
    return (value >> RANDOM_BITS) + EPOCH_MS
