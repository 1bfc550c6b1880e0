"""Keyset pages: every list is ordered by a snowflake id and pages with ``id < cursor``.

No OFFSET anywhere: the cost of a page does not grow with how far back the reader scrolls.
Cursors are plain ids (the JSON API sends them as strings, like every snowflake).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    next_cursor: int | None = None  # pass as ``before`` to get the next (older) page

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


def clamp_limit(limit: int | None) -> int:
    return max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))


def page_from(
    rows: Sequence[T], *, limit: int, key: Callable[[T], int]
) -> tuple[list[T], int | None]:
    """Cut ``rows`` (fetched with ``limit + 1``) to a page and its cursor."""
    items = list(rows[:limit])
    cursor = key(items[-1]) if len(rows) > limit and items else None
    return items, cursor
