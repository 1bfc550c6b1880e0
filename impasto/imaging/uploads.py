"""Streaming request bodies to a temporary file under the size cap (web process only)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest

from impasto.imaging.acceptance import refuse_too_large

CHUNK = 256 * 1024


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Django's disk upload handler, stopping as soon as a file passes the size cap.

    ``max_files`` (a post's images) caps each file at the size cap and the body at that many
    files' worth.
    """

    chunk_size = CHUNK

    def __init__(self, request: HttpRequest | None = None, *, max_files: int = 1) -> None:
        super().__init__(request)
        self.max_files = max_files
        self.received = 0  # of the current file
        self.total = 0
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,
                         encoding: str | None = None) -> None:  # fmt: skip
        # Multipart overhead aside, a body past the cap cannot hold an acceptable file.
        # (The parser stops at the first chunk: StopUpload is only caught there.)
        cap = (settings.IMPASTO_UPLOAD_MAX_BYTES + 64 * 1024) * self.max_files
        if content_length and content_length > cap:
            self.too_large = True
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        self.total += len(raw_data)
        limit = settings.IMPASTO_UPLOAD_MAX_BYTES
        if self.too_large or self.received > limit or self.total > limit * self.max_files:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def install(request: HttpRequest, *, max_files: int = 1) -> CappedUploadHandler:
    """Put the capped handler in place; call it before anything reads ``request.POST``."""
    handler = CappedUploadHandler(request, max_files=max_files)
    request.upload_handlers = [handler]
    return handler


def uploaded_path(upload: UploadedFile) -> tuple[Path, bool]:
    """A path on disk for an uploaded file; True when it is a copy the caller must delete."""
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path()), False
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name), True


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
