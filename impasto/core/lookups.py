"""``field__anyof=ids``: membership in a set of ids sent as *one* parameter on PostgreSQL.

``field__in=[...]`` sends one parameter per id. The visibility rule repeats the reader's
follows (often hundreds of ids) for the post, its parent, its thread root and its original,
so a feed query carried over a thousand parameters: Django prepared each one, psycopg spliced
each one into the text, and PostgreSQL planned each one. ``= ANY(%s)`` with the ids as one
array costs the same whatever their number. SQLite has no arrays: there it is ``IN (...)``.
An empty set matches nothing, as ``__in=[]`` does.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup[Any]):
    lookup_name = "anyof"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return sorted(int(value) for value in self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values: list[int] = self.rhs
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]


class AnyOfOpaque(AnyOf):
    """``field__anyof_opaque=ids``: ``__anyof`` whose set PostgreSQL's planner does not read.

    To estimate ``= ANY(array)``, PostgreSQL weighs every element of a constant array against
    the column's statistics, each time the array appears. The home timeline's ids query named
    the reader's follows six times, four of them inside ``EXISTS`` probes of one row by key,
    where no estimate changes the plan: reading those four cost 0.3 of its 0.75 ms of planning
    (docs/scaling.md). Here the array is the value of a one-row sub-select,
    ``= ANY((SELECT %s::bigint[])::bigint[])``, which the planner takes as unknown. The same
    rows; use it only where the estimate cannot matter (never for the set that chooses the
    plan, such as a feed's authors). Elsewhere it is ``__anyof``.
    """

    lookup_name = "anyof_opaque"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection)
        if connection.vendor == "postgresql" and self.rhs:
            sql = sql.replace("= ANY(%s::bigint[])", "= ANY((SELECT %s::bigint[])::bigint[])")
        return sql, params


# Plain fields, and foreign keys (``author_id__anyof``), which keep lookups of their own.
for lookup in (AnyOf, AnyOfOpaque):
    Field.register_lookup(lookup)
    ForeignObject.register_lookup(lookup)
