"""PostgreSQL timestamps come from psycopg's C loader, with exactly Django's values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

from impasto.core.pgtime import use_c_timestamp_loader

pytestmark = pytest.mark.django_db

# Summer and winter time, a leap day, microseconds, the far past and future.
LITERALS = [
    "2026-11-21 21:00:00.123456+00",
    "2026-07-14 09:30:00+02",
    "2024-02-29 23:59:59.999999-05",
    "1900-01-01 00:00:00+00",
    "9999-12-31 23:59:59+00",
]


def _read() -> list[Any]:
    with connection.cursor() as cursor:
        got = []
        for literal in LITERALS:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT %s::timestamptz", [literal])
            else:
                cursor.execute("SELECT %s", [literal])
            got.append(cursor.fetchone()[0])
        return got


def test_timestamps_read_as_djangos_own_loader_reads_them() -> None:
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        use_c_timestamp_loader(sender=None, connection=connection)  # leaves SQLite alone
        assert [type(value) for value in _read()] == [str] * len(LITERALS)
        return

    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg_binary import _psycopg

    adapters = connection.connection.adapters
    loader = adapters.get_loader(1184, 0)  # timestamptz, text
    native = getattr(_psycopg, "TimestamptzLoader")  # noqa: B009 - untyped module
    assert isinstance(loader(1184, connection.connection).load.__self__, native)
    assert loader.timezone == connection.timezone  # Django keeps it for every cursor
    fast = _read()

    register_tzloader(connection.timezone, connection.connection)  # Django's Python loader
    try:
        assert _read() == fast
        assert [value.tzinfo for value in _read()] == [value.tzinfo for value in fast]
    finally:
        use_c_timestamp_loader(sender=None, connection=connection)  # as a new connection gets
    assert fast[1] == datetime(2026, 7, 14, 7, 30, tzinfo=UTC)
    assert all(value.tzinfo == UTC for value in fast)
