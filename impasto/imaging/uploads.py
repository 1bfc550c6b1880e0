"""Streaming request bodies to a temporary file under the size cap (web process only)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest

from impasto.imaging.acceptance import refuse_too_large

CHUNK = 256 * 1024


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Django's disk upload handler, stopping as soon as a file passes the size cap."""

    chunk_size = CHUNK

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,
                         encoding: str | None = None) -> None:  # fmt: skip
        # Multipart overhead aside, a body past the cap cannot hold an acceptable file.
        # (The parser stops at the first chunk: StopUpload is only caught there.)
        if content_length and content_length > settings.IMPASTO_UPLOAD_MAX_BYTES + 64 * 1024:
            self.too_large = True
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.too_large or self.received > settings.IMPASTO_UPLOAD_MAX_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def install(request: HttpRequest) -> CappedUploadHandler:
    handler = CappedUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def body_to_file(request: HttpRequest) -> Path:
    """A raw (non-multipart) request body, streamed to a temporary file under the cap."""
    limit = settings.IMPASTO_UPLOAD_MAX_BYTES
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit:
        raise refuse_too_large(limit)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the caller deletes it
        prefix="upload-", dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False
    )
    path = Path(handle.name)
    total = 0
    try:
        with handle:
            while chunk := request.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise refuse_too_large(limit)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
