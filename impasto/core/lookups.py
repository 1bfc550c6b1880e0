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


# Plain fields, and foreign keys (``author_id__anyof``), which keep lookups of their own.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
