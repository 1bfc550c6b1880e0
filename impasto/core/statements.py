"""Compiled SQL kept per query *shape*, with each request's values bound at run time.

Building a queryset with a long visibility rule and compiling it costs Django several
milliseconds of Python per request, more than PostgreSQL takes to run it (docs/scaling.md).
The SQL text of such a query depends only on its shape (which id sets are empty, the
reader's filters, whether a cursor is given), not on the ids themselves. So the query is
built once per shape with *slots*, unmistakable negative numbers (ids are positive) standing
for the request's values, and compiled once; each request then binds its own values to the
same text.

A slot stands for one id or for a set of ids. A parameter that is a slot gets the slot's id;
an array parameter (``__anyof`` on PostgreSQL) made only of slots gets the sorted union of
their sets, exactly what ``__anyof`` would have sent. An array that mixes slots with other
numbers cannot be bound, and is refused when the statement is built, never guessed at.

Only PostgreSQL binds arrays as one parameter; on SQLite ``__anyof`` expands to one
placeholder per id, so callers there compile each query as usual (:func:`arrays_bind`).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import itertools
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

SlotValue = int | str | frozenset[int]

S = TypeVar("S")

SLOT_BASE = -(2**62)  # far below any id; slots count up from here


def slot(n: int) -> int:
    """The ``n``th slot number."""
    return SLOT_BASE + n


TEXT_SLOT = "\x00slot:"  # PostgreSQL text cannot hold NUL, so no real value starts with it


def text_slot(n: int) -> str:
    """The ``n``th slot for a text value (a token's public key)."""
    return f"{TEXT_SLOT}{n}"


def is_slot(value: object) -> bool:
    # An int, or a driver's wrapper of one (psycopg's Int8, which Django sends for bigints).
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and SLOT_BASE <= value < SLOT_BASE + 1_000_000
    )


def arrays_bind(using: str) -> bool:
    """Whether statements on this database can be bound (one parameter per id set)."""
    return connections[using].vendor == "postgresql"


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple[Any, ...]

    @classmethod
    def of(cls, qs: QuerySet[Any]) -> Statement:
        return cls.of_compiled(*qs.query.get_compiler(using=qs.db).as_sql())

    @classmethod
    def of_compiled(cls, sql: str, params: Iterable[Any]) -> Statement:
        params = tuple(params)
        for param in params:
            slots = [is_slot(v) for v in param] if isinstance(param, list) else []
            if any(slots) and not all(slots):
                raise ValueError("an id array mixes slots with other ids: cannot bind it")
        return cls(sql, params)

    def bind(self, values: Mapping[int | str, SlotValue]) -> list[Any]:
        """The parameters with each slot replaced by its value (every slot must be given).

        An id set is bound as PostgreSQL's array text (``'{1,2,3}'``, cast by the ``__anyof``
        SQL to ``bigint[]``): one string for the driver to quote, where a list had it convert
        every id in Python, for each of the half-dozen times a rule repeats the reader's follows.
        """
        out: list[Any] = []
        literals: dict[tuple[int, ...], str] = {}
        for param in self.params:
            if isinstance(param, list) and param and is_slot(param[0]):
                key = tuple(param)
                if key not in literals:
                    ids = sorted(_union(values[v] for v in param))
                    literals[key] = "{" + ",".join(map(str, map(int, ids))) + "}"
                out.append(literals[key])
            elif isinstance(param, str) and param.startswith(TEXT_SLOT):
                out.append(values[param])
            elif is_slot(param):
                value = values[param]
                if isinstance(value, frozenset):
                    raise ValueError("a set bound to a single-value slot")
                out.append(type(param)(value))  # the same wrapper type as compiled
            else:
                out.append(param)
        return out

    def values_list(
        self, values: Mapping[int | str, SlotValue], using: str, *, prepare: bool = False
    ) -> list[tuple[Any, ...]]:
        """The rows, with ``values`` bound. ``prepare``: see :func:`fetch`."""
        return fetch(self, self.bind(values), using, prepare=prepare)


def fetch(statement: Statement, params: list[Any], using: str, *, prepare: bool) -> list[Any]:
    """Run ``statement``; with ``prepare`` (PostgreSQL), as a prepared statement.

    A prepared statement is planned once per connection and then, under PostgreSQL's
    ``plan_cache_mode = auto``, with a generic plan when that is no worse: only for queries
    whose every plan is a primary-key or foreign-key lookup (a page's cards by id), never for
    one whose plan depends on the values (a page's ids: docs/scaling.md). The first use on a
    connection sends ``PREPARE`` and ``EXECUTE`` in one round trip, so a page costs the same
    number of queries either way. Needs a session per connection (direct, or a pooler in
    session mode): a pooler in transaction mode would lose the prepared statement.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if not prepare or connection.vendor != "postgresql":
            cursor.execute(statement.sql, params)
            return list(cursor.fetchall())
        state = _PREPARED.setdefault(connection.connection, _Prepared())
        name = f"impasto_{_digest(statement.sql)}_{state.generation}"
        call = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
        if name in state.names:
            cursor.execute(call, params)
        else:
            try:
                cursor.execute(f"PREPARE {name} AS {_numbered(statement.sql)}; {call}", params)
            except Exception:
                state.generation += 1  # it may exist now, unrecorded: the next try renames
                raise
            cursor.nextset()  # past PREPARE's empty result, to EXECUTE's rows
            state.names.add(name)
        return list(cursor.fetchall())


@dataclass
class _Prepared:
    generation: int = 0
    names: set[str] = field(default_factory=set)


# By driver connection: prepared statements live and die with the database session.
_PREPARED: weakref.WeakKeyDictionary[Any, _Prepared] = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=1024)
def _digest(sql: str) -> str:
    return hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()


@functools.lru_cache(maxsize=1024)
def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1``, ``$2``… (``%%`` stays escaped)."""
    count = itertools.count(1)
    return re.sub(r"%%|%s", lambda m: m.group(0) if m.group(0) == "%%" else f"${next(count)}", sql)


def _union(parts: Iterable[SlotValue]) -> set[int]:
    merged: set[int] = set()
    for part in parts:
        if isinstance(part, frozenset):
            merged |= part
        elif isinstance(part, int):
            merged.add(part)
        else:
            raise ValueError("text bound to an id slot")
    return merged


class StatementCache(Generic[S]):
    """Statements by key, the least recently used dropped past ``maxsize`` (per process)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, S] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], S]) -> S:
        with self._lock:
            statement = self._entries.get(key)
            if statement is not None:
                self._entries.move_to_end(key)
                return statement
        statement = build()  # outside the lock: two threads may both compile it once
        with self._lock:
            self._entries[key] = statement
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return statement

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class ModelStatement:
    """A kept statement whose rows become model instances, as the queryset's would.

    Compiling a ``select_related`` query with annotations costs Django a few milliseconds per
    request; this keeps what the compiler worked out (the SQL, each column's converters, how
    the columns map to the model, its related models and its annotations) and turns each
    request's rows into instances with Django's own machinery (``Model.from_db`` and
    ``select_related``'s populators). For querysets without ``prefetch_related`` or known
    related objects; a test holds its instances equal to the queryset's.

    Where ``Model.__init__`` would only store each column (:func:`_instance`), the instance is
    made without it: a page's ~180 rows cost a sixth of the JSON home timeline's CPU that way.
    """

    statement: Statement
    model: type[Any]
    fields: slice
    init_list: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    populators: tuple[_Related, ...]
    annotations: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, qs: QuerySet[Any]) -> ModelStatement:
        # Django's own select_related machinery (not in the stubs: internal, pinned Django).
        from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

        if getattr(qs, "_prefetch_related_lookups", ()) or getattr(
            qs, "_known_related_objects", {}
        ):
            raise ValueError("a kept statement cannot prefetch")
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()  # fills select, klass_info, annotation_col_map
        statement = Statement.of_compiled(sql, params)
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
        return cls(
            statement=statement,
            model=klass_info["model"],
            fields=slice(start, end),
            init_list=tuple(f[0].target.attname for f in compiler.select[start:end]),
            converters=tuple(
                (pos, tuple(convs), expression)
                for pos, (convs, expression) in compiler.get_converters(columns).items()
            ),
            populators=tuple(
                _Related.of(p) for p in get_related_populators(klass_info, compiler.select, qs.db)
            ),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )

    def instances(
        self, values: Mapping[int | str, SlotValue], using: str, *, prepare: bool = False
    ) -> list[Any]:
        connection = connections[using]
        rows = fetch(self.statement, self.statement.bind(values), using, prepare=prepare)
        out = []
        for fetched in rows:
            row = list(fetched)
            for pos, convs, expression in self.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            obj = _instance(self.model, using, self.init_list, row[self.fields])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            out.append(obj)
        return out


_STORING = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)


@functools.cache
def _stored_attnames(model: type[Model]) -> tuple[str, ...] | None:
    """The model's columns, in ``__init__``'s order, when ``__init__`` would only store each
    value in the instance's ``__dict__``: every column's class attribute is Django's plain
    ``DeferredAttribute``, the foreign key's (whose ``__set__`` only forgets a cached related
    object: a new instance has none) or a file field's (whose ``__set__`` only stores).
    ``None`` for any other descriptor (an image field's updates its dimensions, a custom
    field's may do anything): those instances go through ``from_db``."""
    attnames = []
    for column in model._meta.concrete_fields:
        if type(inspect.getattr_static(model, column.attname, None)) not in _STORING:
            return None
        attnames.append(column.attname)
    return tuple(attnames)


def _listened(model: type[Model]) -> bool:
    """Whether ``Model.__init__`` would send a signal someone receives for this model (checked
    for each row: a receiver may be connected at any time; with none connected, nearly free)."""
    return bool(
        (pre_init.receivers and pre_init.has_listeners(model))
        or (post_init.receivers and post_init.has_listeners(model))
    )


def _instance(model: type[Model], using: str, init_list: tuple[str, ...], values: Any) -> Any:
    """``model.from_db(using, init_list, values)``, without ``Model.__init__`` when that would
    only store the values: every column loaded in the model's order, no ``pre_init`` or
    ``post_init`` receiver for the model, plain descriptors (:func:`_stored_attnames`).
    ``tests/core/test_statements.py`` holds both ways' instances alike."""
    attnames = _stored_attnames(model)
    if attnames is None or init_list != attnames or _listened(model):
        return model.from_db(using, init_list, values)
    obj = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = using
    fields = obj.__dict__
    fields["_state"] = state
    fields.update(zip(attnames, values, strict=True))
    return obj


@dataclass(frozen=True)
class _Related:
    """Django's ``RelatedPopulator`` (one ``select_related`` model of a row), making its
    instances with :func:`_instance`. Its ``populate`` is Django's, line for line."""

    model: type[Model]
    db: str
    cols: slice
    reorder: Callable[[Any], Any] | None
    init_list: tuple[str, ...]
    pk_idx: int
    related: tuple[_Related, ...]
    local_setter: Callable[[Any, Any], None]
    remote_setter: Callable[[Any, Any], None]

    @classmethod
    def of(cls, populator: Any) -> _Related:
        return cls(
            model=populator.model_cls,
            db=populator.db,
            cols=slice(getattr(populator, "cols_start", 0), getattr(populator, "cols_end", 0)),
            reorder=populator.reorder_for_init,
            init_list=tuple(populator.init_list),
            pk_idx=populator.pk_idx,
            related=tuple(cls.of(p) for p in populator.related_populators),
            local_setter=populator.local_setter,
            remote_setter=populator.remote_setter,
        )

    def populate(self, row: list[Any], from_obj: Any) -> None:
        data = self.reorder(row) if self.reorder else row[self.cols]
        if data[self.pk_idx] is None:
            obj = None
        else:
            obj = _instance(self.model, self.db, self.init_list, data)
            for nested in self.related:
                nested.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)
