from __future__ import annotations

from django_tasks import task

from impasto.imaging import services


@task(queue_name="media")
def asset_process_task(asset_id: int) -> None:
    services.asset_process(asset_id=asset_id)


@task()
def asset_sweep_task() -> None:
    services.asset_sweep()


@task()
def blobs_purge_task() -> None:
    services.blobs_purge()
