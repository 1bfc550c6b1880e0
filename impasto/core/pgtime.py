"""PostgreSQL timestamps read by psycopg's C loader instead of Django's Python one.

With ``USE_TZ`` Django registers a loader for ``timestamptz`` on every PostgreSQL connection
that subclasses psycopg's *pure Python* loader, to give each value Django's time zone. It
parses every timestamp in Python: about 2.7 µs each against 0.15 µs for psycopg's C loader
(``psycopg[binary]``), and a page of the home timeline reads ~80 of them (docs/scaling.md).

The C loader gives a value the connection's session time zone, which Django sets to its own
(``UTC``). When the two are the same, its values are exactly Django's, and this swaps it in,
keeping the ``timezone`` attribute Django compares before each cursor (psycopg's C class is
final, so a small Python loader hands each value to it). When they differ, or
psycopg runs without its C extension, Django's loader stays. ``tests/core/test_pgtime.py``
holds both loaders' values equal.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def _c_loader() -> type[Any] | None:
    import psycopg

    if psycopg.pq.__impl__ != "binary":
        return None
    from psycopg_binary import _psycopg  # the C implementation psycopg[binary] installs

    loader: type[Any] = getattr(_psycopg, "TimestamptzLoader")  # noqa: B009 - untyped module
    return loader


@receiver(connection_created)
def use_c_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql":
        return
    native: Any = _c_loader()
    if native is None or connection.connection.info.timezone != connection.timezone:
        return
    from psycopg.adapt import Loader

    class TimestamptzLoader(Loader):
        """Django's ``timezone`` attribute; psycopg's C parsing (its class is final)."""

        timezone = connection.timezone  # what Django compares before each cursor

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self.load = native(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:  # replaced per instance by the C loader's
            raise NotImplementedError

    connection.connection.adapters.register_loader("timestamptz", TimestamptzLoader)
