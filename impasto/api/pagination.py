"""Keyset pagination on a time-ordered id: what every list and feed of the API uses.

Snowflake ids (``impasto.core.ids``) sort by creation time, so "the 20 items older than id X"
is ``WHERE id < X ORDER BY id DESC LIMIT 21`` on the primary key index: the same cost on page
1 and page 10,000, and no item skipped or shown twice when new ones arrive meanwhile, which is
what OFFSET gets wrong on a feed.

The request says where to start (``before`` and/or ``after``, ids as strings) and ``limit``;
the answer carries the cursors to continue with (see :class:`KeysetPage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

from impasto.api.schemas.common import SnowflakeId

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

M = TypeVar("M", bound=Model)
T = TypeVar("T")


class KeysetParams(Schema):
    """Query parameters of a paginated operation: ``params: Query[KeysetParams]``."""

    before: SnowflakeId | None = Field(
        default=None, description="Only items older than this id (the next page back)."
    )
    after: SnowflakeId | None = Field(
        default=None, description="Only items newer than this id (to catch up)."
    )
    limit: int = Field(
        default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items, at most."
    )


class Page(Schema, Generic[T]):
    """A page of items, newest first, with the cursors to move on."""

    items: list[T]
    before: SnowflakeId | None = Field(
        description="Pass as ?before= for older items; null when there are none."
    )
    after: SnowflakeId | None = Field(
        description="Pass as ?after= for newer items (poll with it); null when nothing to anchor."
    )


@dataclass(frozen=True, slots=True)
class KeysetPage(Generic[M]):
    items: list[M]
    before: int | None
    after: int | None


def keyset_page(
    queryset: QuerySet[M],
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = DEFAULT_LIMIT,
    field: str = "pk",
) -> KeysetPage[M]:
    """One page of ``queryset`` ordered by ``field`` (a time-ordered id), newest first.

    - neither cursor: the newest ``limit`` items;
    - ``before``: the ``limit`` items just older than it;
    - ``after``: the ``limit`` items just newer than it (oldest of those first in the query,
      returned newest first), so a client catching up never skips any; with ``before`` too,
      only items in between.

    One query of ``limit + 1`` rows; the extra row only says whether more lie beyond.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    window = queryset
    if before is not None:
        window = window.filter(**{f"{field}__lt": before})
    if after is not None:
        rows = list(window.filter(**{f"{field}__gt": after}).order_by(field)[: limit + 1])
        items = rows[:limit][::-1]
        # Older items exist (at least the cursor's); newer ones may: poll from the newest.
        older = _key(items[-1], field) if items else None
        newer = _key(items[0], field) if items else after
        return KeysetPage(items=items, before=older, after=newer)
    rows = list(window.order_by(f"-{field}")[: limit + 1])
    items = rows[:limit]
    return KeysetPage(
        items=items,
        before=_key(items[-1], field) if len(rows) > limit else None,
        after=_key(items[0], field) if items else None,
    )


def _key(item: Model, field: str) -> int:
    value = item.pk if field == "pk" else getattr(item, field)
    return int(value)
