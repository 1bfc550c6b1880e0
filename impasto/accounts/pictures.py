"""Avatars and banners: the size cap of a profile picture, before imaging takes over.

Profile pictures go through the imaging pipeline (``purpose=avatar`` / ``banner``; see
:mod:`impasto.accounts.services.profiles` and docs/imaging.md): acceptance reads the header
only, and every pixel is decoded in the task worker's sandbox, never in the web process. What
stays here is the profile's own, smaller size cap, applied while the upload is read.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def read_upload(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload's bytes, refusing empty files and files over the size cap."""
    too_big = ValidationError(
        _("This file is larger than %(limit)s. Upload a smaller picture.")
        % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
        code="too_big",
    )
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_big
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_big
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    return data
