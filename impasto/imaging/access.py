"""Which widths of a variant a viewer may fetch, and the signed URLs of the largest ones.

Three tiers (docs/protection.md, "Variant serving"):

- anonymous visitors get widths up to ``IMPASTO_VARIANT_ANONYMOUS_MAX_WIDTH`` (1080 px);
- signed-in members get plain URLs up to ``IMPASTO_VARIANT_SIGNED_ABOVE_WIDTH`` (1600 px);
- wider variants (2048 px) are served only through a URL signed for one member that expires
  (``IMPASTO_VARIANT_SIGNED_URL_MAX_AGE``). ``{% picture %}`` emits them for members.

The owner of an asset fetches every width of it with a plain URL.

A signature is an HMAC (Django's :class:`~django.core.signing.Signer`, keyed by SECRET_KEY
with its own salt) over the variant's path, the member's id and the expiry time. Expiry times
are rounded up to half the lifetime, so one page view after another gets the same URL (the
browser's cache keeps working) and every URL is valid for between half the lifetime and all
of it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.signing import Signer
from django.utils.crypto import constant_time_compare

SALT = "impasto.imaging.variant-url"


def anonymous_max_width() -> int:
    return int(settings.IMPASTO_VARIANT_ANONYMOUS_MAX_WIDTH)


def signed_above_width() -> int:
    return int(settings.IMPASTO_VARIANT_SIGNED_ABOVE_WIDTH)


def max_age() -> int:
    return int(settings.IMPASTO_VARIANT_SIGNED_URL_MAX_AGE)


def needs_signature(width: int) -> bool:
    return width > signed_above_width()


def _message(*, sha256: str, ext: str, user_id: int, expires: int) -> str:
    return f"{sha256}.{ext}:{user_id}:{expires}"


def _now() -> float:
    return time.time()


def expiry(now: float | None = None) -> int:
    """The expiry written in URLs signed now: the next half-lifetime boundary, plus one half."""
    half = max(1, max_age() // 2)
    moment = _now() if now is None else now
    return (math.floor(moment / half) + 2) * half


def signature(*, sha256: str, ext: str, user_id: int, expires: int) -> str:
    message = _message(sha256=sha256, ext=ext, user_id=user_id, expires=expires)
    return Signer(salt=SALT).signature(message)


def signed_query(*, sha256: str, ext: str, user_id: int, now: float | None = None) -> str:
    """``exp=<unix time>&sig=<hmac>`` for the variant's URL, valid for ``user_id`` only."""
    expires = expiry(now)
    sig = signature(sha256=sha256, ext=ext, user_id=user_id, expires=expires)
    return f"exp={expires}&sig={sig}"


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    valid: bool
    expires: int = 0


def check_signature(
    *, sha256: str, ext: str, user_id: int | None, exp: str, sig: str, now: float | None = None
) -> SignatureCheck:
    """Whether ``exp``/``sig`` sign this variant for this member and have not expired."""
    if user_id is None or not exp.isdigit() or len(exp) > 12 or not sig or len(sig) > 100:
        return SignatureCheck(False)
    expires = int(exp)
    moment = _now() if now is None else now
    if expires < moment or expires > moment + max_age() + 60:
        return SignatureCheck(False)
    expected = signature(sha256=sha256, ext=ext, user_id=user_id, expires=expires)
    if not constant_time_compare(expected, sig):
        return SignatureCheck(False)
    return SignatureCheck(True, expires)
