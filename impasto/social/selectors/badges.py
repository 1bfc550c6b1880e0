"""The counts in the site header (unread notifications, unread conversations, message requests),
read in one query so that every page a member opens pays for them once and cheaply.

Each count is the same capped ``COUNT(*)`` the selectors make on their own
(:func:`~impasto.social.selectors.notifications.notifications_unread_count`,
:func:`~impasto.social.selectors.messages.messages_unread_counts`): Django compiles each
queryset, and the three become scalar subqueries of one ``SELECT``, on SQLite and PostgreSQL
alike. Each stops at :data:`CAP` rows (the badge says "99+"), so a backlog never makes the
header slow.

The statement is compiled once per reader and process (:func:`_statement`): the rows are
counted on every page, only Django's compilation of the SQL is saved.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

from impasto.social import targets
from impasto.social.models import Notification
from impasto.social.selectors.messages import unread_conversations, waiting_requests
from impasto.social.selectors.notifications import UNREAD_CAP, notifications_unread
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


@functools.lru_cache(maxsize=1024)
def _statement(
    viewer: Viewer, kinds: tuple[targets.TargetType, ...]
) -> tuple[str, tuple[Any, ...]]:
    """The badges' SQL and parameters for one reader, compiled once per process and reader.

    Compiling the three querysets costs about 25 ms of Python per page on a reader with 200
    follows (the visibility rule of every notification target), five times what the query
    costs to run. The statement is a pure function of the :class:`Viewer` (its id and id sets,
    all in the key) and of the registered target types (``kinds``), so a reader whose follows,
    blocks or mutes change gets a new key and a new statement: nothing can go stale. Only the
    SQL text is kept, never a count: the query still runs on every page.
    """
    parts = [
        _capped(notifications_unread(viewer), "n"),
        _capped(unread_conversations(viewer), "m"),
        _capped(waiting_requests(viewer), "r"),
    ]
    sql = "SELECT " + ", ".join(part for part, _params in parts)
    return sql, tuple(p for _part, part_params in parts for p in part_params)


def badges_of(viewer: Viewer) -> Badges:
    """The header's three counts in one query (none for an anonymous reader)."""
    if viewer.id is None:
        return Badges()
    sql, params = _statement(viewer, tuple(targets.registered().values()))
    with connections[router.db_for_read(Notification)].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    notifications, messages, requests = (int(value) for value in row)
    return Badges(notifications, messages, requests)
