"""Query expressions of our own, for shapes Django compiles as PostgreSQL plans them badly."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists


class KeyExists(Exists):
    """``EXISTS`` over one row found by its key (``pk=OuterRef(...)``), tested under ``OR``.

    Under ``OR`` PostgreSQL cannot make such an ``EXISTS`` a join, so it plans it twice: as a
    correlated sub-plan (one index probe per outer row that needs it) and as a *hashed* one
    (the whole table read and hashed once), and picks between them as it runs. For a lookup by
    key the hashed plan never wins, yet planning it cost about half of the home timeline's
    planning (1.35 against 0.76 ms a page, docs/scaling.md). PostgreSQL leaves a sub-query with
    an ``OFFSET`` as written (its planner keeps ``OFFSET 0`` as an optimization fence), so on
    PostgreSQL this adds one, after Django's ``LIMIT 1``: the same rows, one plan. Elsewhere it
    is a plain ``Exists``.
    """

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        fenced = {**extra_context, "template": "EXISTS(%(subquery)s OFFSET 0)"}
        return self.as_sql(compiler, connection, **fenced)
