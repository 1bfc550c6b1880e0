"""The counts in the site header (unread notifications, unread conversations, message requests),
read in one query so that every page a member opens pays for them once and cheaply.

Each count is the same capped ``COUNT(*)`` the selectors make on their own
(:func:`~impasto.social.selectors.notifications.notifications_unread_count`,
:func:`~impasto.social.selectors.messages.messages_unread_counts`): Django compiles each
queryset, and the three become scalar subqueries of one ``SELECT``, on SQLite and PostgreSQL
alike. Each stops at :data:`CAP` rows (the badge says "99+"), so a backlog never makes the
header slow.

On PostgreSQL the statement is compiled once per shape of reader (:func:`badge_statement`):
the rows are counted on every page, only Django's compilation of the SQL is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

from impasto.core.statements import SlotValue, Statement, StatementCache, arrays_bind
from impasto.social import targets
from impasto.social.models import Notification
from impasto.social.selectors.messages import unread_conversations, waiting_requests
from impasto.social.selectors.notifications import UNREAD_CAP, notifications_unread
from impasto.social.selectors.posts import slotted
from impasto.social.visibility import Viewer

CAP = UNREAD_CAP


@dataclass(frozen=True)
class Badges:
    notifications: int = 0
    messages: int = 0  # inbox conversations with something unread
    requests: int = 0  # message requests waiting for an answer

    @property
    def messages_total(self) -> int:
        return min(self.messages + self.requests, CAP)


def _capped(qs: QuerySet[Any], alias: str) -> tuple[str, tuple[Any, ...]]:
    inner = qs.order_by().values("pk")[:CAP]
    sql, params = inner.query.get_compiler(using=inner.db).as_sql()
    # Django compiled ``sql`` with placeholders; every value stays in ``params``.
    return f"(SELECT COUNT(*) FROM ({sql}) AS {alias})", tuple(params)  # noqa: S608


def _compile(viewer: Viewer) -> tuple[str, tuple[Any, ...]]:
    """The badges' SQL and parameters for ``viewer``, compiled by Django."""
    parts = [
        _capped(notifications_unread(viewer), "n"),
        _capped(unread_conversations(viewer), "m"),
        _capped(waiting_requests(viewer), "r"),
    ]
    sql = "SELECT " + ", ".join(part for part, _params in parts)
    return sql, tuple(p for _part, part_params in parts for p in part_params)


_KEPT: StatementCache[Statement] = StatementCache(maxsize=256)


def badge_statement(viewer: Viewer) -> tuple[Statement, dict[int | str, SlotValue]]:
    """The badges' statement for readers of ``viewer``'s shape, and ``viewer``'s values.

    Compiling the three querysets cost about 25 ms of Python per page on a reader with 200
    follows (the visibility rule of every notification target), five times what the query
    costs to run. It is compiled once per shape (which of the reader's id sets are empty) and
    set of registered target types, for a reader made of slots, and each reader's ids are
    bound to it (:mod:`impasto.core.statements`; a test holds bound and freshly compiled
    statements equal). Only the SQL text is kept, never a count.
    """
    shape, template, values = slotted(viewer)
    kinds = tuple(targets.registered().values())
    statement = _KEPT.get((shape, kinds), lambda: Statement.of_compiled(*_compile(template)))
    return statement, values


def badges_of(viewer: Viewer) -> Badges:
    """The header's three counts in one query (none for an anonymous reader)."""
    if viewer.id is None:
        return Badges()
    db = router.db_for_read(Notification)
    params: Sequence[Any]
    if arrays_bind(db):
        statement, values = badge_statement(viewer)
        sql, params = statement.sql, statement.bind(values)
    else:  # SQLite: one placeholder per id, so the text depends on the ids; compiled each time
        sql, params = _compile(viewer)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    notifications, messages, requests = (int(value) for value in row)
    return Badges(notifications, messages, requests)
