"""States and reliability: attempts, sandbox failures, the sweep, the real database worker, S3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from impasto.imaging import services
from impasto.imaging.models import MediaAsset, MediaVariant
from tests.imaging import images
from tests.imaging.conftest import stored_files

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(client: Any, data: bytes) -> MediaAsset:
    response = client.post(
        reverse("imaging:api-upload"), {"file": SimpleUploadedFile("a.jpg", data)}
    )
    assert response.status_code in (200, 201), response.content
    return MediaAsset.objects.get(pk=int(response.json()["id"]))


def test_child_out_of_memory_is_retried_then_failed_with_a_reason(user_client, settings):
    settings.IMPASTO_IMAGING_JOB_MEMORY_MB = 48  # far too little to decode: the child dies
    settings.IMPASTO_IMAGING_MAX_ATTEMPTS = 2
    asset = _upload(user_client, images.jpeg(1600, 1200))
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.attempts == 2
    assert "could not process" in asset.failure_reason
    assert asset.last_error  # what went wrong, for operators
    assert not MediaVariant.objects.filter(asset=asset).exists()
    # The owner sees the reason, and may try again once the cause is gone.
    page = user_client.get(reverse("imaging:asset-status", args=[asset.pk]))
    assert asset.failure_reason.encode() in page.content.replace(b"&#x27;", b"'")
    settings.IMPASTO_IMAGING_JOB_MEMORY_MB = 1536
    user_client.post(reverse("imaging:asset-retry", args=[asset.pk]))
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY


def test_job_past_its_time_limit_is_killed(user_client, settings):
    settings.IMPASTO_IMAGING_JOB_TIMEOUT_S = 0.01
    settings.IMPASTO_IMAGING_MAX_ATTEMPTS = 1
    asset = _upload(user_client, images.jpeg(1600, 1200))
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.last_error == "timeout"


def test_damaged_pixels_fail_permanently_with_a_reason(user_client):
    data = bytearray(images.png(800, 600))
    # Garbage inside the compressed pixels, every chunk still in place: the header is sound,
    # so only decoding can tell.
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(range(64))
    asset = _upload(user_client, bytes(data))
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.FAILED
    assert asset.attempts == 1  # a decode error is not retried
    assert "damaged" in asset.failure_reason


def test_processing_twice_is_a_no_op_and_missing_asset_is_fine(user_client):
    asset = _upload(user_client, images.jpeg(700, 500))
    keys = set(MediaVariant.objects.filter(asset=asset).values_list("key", flat=True))
    services.asset_process(asset_id=asset.pk)
    assert set(MediaVariant.objects.filter(asset=asset).values_list("key", flat=True)) == keys
    assert services.asset_process(asset_id=123456789) is None


def test_worker_killed_mid_job_is_swept_and_finished(user_client, user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "media"]}}  # fmt: skip
    asset = _upload(user_client, images.jpeg(700, 500))
    # What a killed worker leaves: the attempt counted, the row still processing, no task.
    MediaAsset.objects.filter(pk=asset.pk).update(
        attempts=1, processing_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "media"]}}  # fmt: skip
    fresh = _upload(user_client, images.jpeg(700, 500, seed=9))
    call_command("imaging_sweep")
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert asset.attempts == 2
    assert services.asset_sweep() == []  # nothing left stuck; the fresh one was never touched
    fresh.refresh_from_db()
    assert fresh.attempts == 1


def test_real_database_worker_processes_the_upload(user_client):
    config = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "media"]}
    }
    with override_settings(TASKS=config):
        asset = _upload(user_client, images.jpeg(700, 500))
        assert asset.status == MediaAsset.Status.PROCESSING
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-reload")
    asset.refresh_from_db()
    assert asset.status == MediaAsset.Status.READY
    assert MediaVariant.objects.filter(asset=asset).count() == 9


@pytest.fixture
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_pipeline_against_a_real_s3_compatible_server(user_client, s3_server, tmp_path):
    import boto3

    options = {
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "file_overwrite": True,
    }
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
    for bucket in ("impasto-public", "impasto-private"):
        client.create_bucket(Bucket=bucket)
    public_options = {**options, "bucket_name": "impasto-public", "querystring_auth": False}
    config = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public_options},
        "private": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {**options, "bucket_name": "impasto-private"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }  # fmt: skip
    with override_settings(STORAGES=config):
        storages._storages = {}  # type: ignore[attr-defined]
        asset = _upload(user_client, images.jpeg(900, 600))
        asset.refresh_from_db()
        assert asset.status == MediaAsset.Status.READY, asset.last_error
        private = [o["Key"] for o in client.list_objects_v2(Bucket="impasto-private")["Contents"]]
        public = [o["Key"] for o in client.list_objects_v2(Bucket="impasto-public")["Contents"]]
        assert private == [asset.original_key]
        assert sorted(public) == sorted(asset.variants.values_list("key", flat=True))
        variant = asset.variants.get(format="jpeg", width=640)
        response = user_client.get(reverse("imaging:variant", args=[variant.sha256, "jpg"]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    storages._storages = {}  # type: ignore[attr-defined]
    assert stored_files(tmp_path / "media") == []  # nothing went to the local folders
