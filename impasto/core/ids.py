"""Time-ordered, non-sequential 64-bit identifiers.

The high bits are milliseconds since 2024-01-01 and the low 22 bits are random: ids sort by
creation time (so feeds can page by primary key alone) while a neighbour's id cannot be
guessed by counting (no walking ``/posts/1``, ``/posts/2``...). The same idea as Twitter's and
Mastodon's snowflakes, without a guessable sequence.

Within one process, ids only grow: one drawn at or below the last one given is replaced by
the last one plus a random step (1 to 1,024). So a burst in the same millisecond (a
``bulk_create`` of a hundred notifications) never repeats an id, where 22 random bits alone
collide once in a few hundred such bursts; the step may carry into the next millisecond,
which keeps the order. Two processes drawing in the same millisecond still meet with a
chance of one in four million per pair of rows.

The values exceed JavaScript's 2**53, so the JSON API always serialises them as strings.
"""

from __future__ import annotations

import secrets
import threading
import time

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
RANDOM_BITS = 22


STEP_BITS = 10
_lock = threading.Lock()
_last = 0


def snowflake(at_ms: int | None = None) -> int:
    """A new id for now, or a random one for the millisecond ``at_ms`` (seeding, tests)."""
    global _last
    if at_ms is not None:
        return ((at_ms - EPOCH_MS) << RANDOM_BITS) | secrets.randbits(RANDOM_BITS)
    value = ((int(time.time() * 1000) - EPOCH_MS) << RANDOM_BITS) | secrets.randbits(RANDOM_BITS)
    with _lock:
        if value <= _last:
            value = _last + 1 + secrets.randbits(STEP_BITS)
        _last = value
    return value


def snowflake_floor(at_ms: int) -> int:
    """The smallest id that could have been made at ``at_ms`` (for time-range queries)."""
    return (at_ms - EPOCH_MS) << RANDOM_BITS


def snowflake_time_ms(value: int) -> int:
    return (value >> RANDOM_BITS) + EPOCH_MS
