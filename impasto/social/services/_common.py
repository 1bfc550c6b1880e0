"""Helpers shared by the social services: counters and after-commit task enqueueing."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F

from impasto.social.models import Post, UserCounters


def bump_user_counters(changes: Mapping[int, Mapping[str, int]]) -> None:
    """Add deltas to people's counters, inside the caller's transaction.

    Rows are created on first use (``INSERT ... ON CONFLICT DO NOTHING``) and updated with
    ``F()`` in ascending user id order, so two transactions touching the same two people lock
    their rows in the same order and cannot deadlock.
    """
    wanted = {uid: {f: d for f, d in fields.items() if d} for uid, fields in changes.items()}
    wanted = {uid: fields for uid, fields in wanted.items() if fields}
    if not wanted:
        return
    UserCounters.objects.bulk_create(
        [UserCounters(user_id=uid) for uid in sorted(wanted)], ignore_conflicts=True
    )
    for uid in sorted(wanted):
        UserCounters.objects.filter(user_id=uid).update(
            **{name: F(name) + delta for name, delta in wanted[uid].items()}
        )


def bump_post_counter(post_id: int, name: str, delta: int) -> None:
    Post.objects.filter(pk=post_id).update(**{name: F(name) + delta})


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Enqueue ``task(*args)`` once the transaction commits (never for a rolled-back write)."""
    transaction.on_commit(partial(task.enqueue, *args))
