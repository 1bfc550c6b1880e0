"""Cache upkeep for Redis home timelines (the only signals here, as the house rule says):
a new post is fanned out after commit, a new or removed follow drops the follower's list."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from impasto.feeds import timelines
from impasto.feeds.tasks import home_fanout_task


def post_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and timelines.enabled():
        post_id = instance.pk
        transaction.on_commit(lambda: home_fanout_task.enqueue(post_id))


def follow_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if timelines.enabled():
        follower_id = instance.follower_id
        transaction.on_commit(lambda: timelines.home_forget(follower_id))
