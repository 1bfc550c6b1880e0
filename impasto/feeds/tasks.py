"""Background work of the feeds: fan-out on write. Tasks take ids and are safe to run twice
(a post pushed twice onto a list is read once: readers de-duplicate ids)."""

from __future__ import annotations

from django_tasks import task


@task()
def home_fanout_task(post_id: int) -> int:
    from impasto.feeds.services import home_fanout

    return home_fanout(post_id=post_id)
