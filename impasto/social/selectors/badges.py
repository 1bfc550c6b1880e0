"""The counts in the site header (unread notifications, unread conversations, message requests),
read in one query so that every page a member opens pays for them once and cheaply.

Each count is the same capped ``COUNT(*)`` the selectors make on their own
(:func:`~impasto.social.selectors.notifications.notifications_unread_count`,
:func:`~impasto.social.selectors.messages.messages_unread_counts`): Django compiles each
queryset, and the three become scalar subqueries of one ``SELECT``, on SQLite and PostgreSQL
alike. Each stops at :data:`CAP` rows (the badge says "99+"), so a backlog never makes the
header slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

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


def badges_of(viewer: Viewer) -> Badges:
    """The header's three counts in one query (none for an anonymous reader)."""
    if viewer.id is None:
        return Badges()
    parts = [
        _capped(notifications_unread(viewer), "n"),
        _capped(unread_conversations(viewer), "m"),
        _capped(waiting_requests(viewer), "r"),
    ]
    sql = "SELECT " + ", ".join(part for part, _params in parts)
    params = tuple(p for _part, part_params in parts for p in part_params)
    with connections[notifications_unread(viewer).db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    notifications, messages, requests = (int(value) for value in row)
    return Badges(notifications, messages, requests)
