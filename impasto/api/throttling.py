"""The API's rate limit: every request spends a token of its caller's bucket, or gets 429.

:func:`api_rate_limit` is called once for every API request (``v1.dispatch``), before the
operation's own authentication, with the caller already identified (``None`` when the request
carried a bad token, which will be answered 401 anyway). The limiter is the shared token
bucket of ``impasto.protection.ratelimit`` (GCRA over Django's cache: one atomic Redis call in
production). Buckets (docs/api.md, "Rate limits"):

- the account's (``settings.RATE_LIMITS["api"]``), for its tokens and its web session alike:
  an account holds up to 50 tokens and can mint new ones, so a bucket per token would let it
  multiply its allowance;
- the address range's (``"api_anonymous"``), for calls without a valid credential, even from
  a browser signed in to the site: visitors, and whoever tries tokens one after another.
"""

from __future__ import annotations

from django.http import HttpRequest

from impasto.api.auth import Principal
from impasto.api.errors import RateLimited
from impasto.protection.clients import address_key
from impasto.protection.ratelimit import rate_limit


def api_rate_limit(request: HttpRequest, *, principal: Principal | None) -> None:
    """Raise ``RateLimited`` (429, with Retry-After) once the caller's bucket is empty."""
    if principal is not None and principal.user is not None:
        bucket, key = "api", f"user:{principal.user.pk}"
    else:
        bucket, key = "api_anonymous", address_key(request)
    decision = rate_limit(request, bucket=bucket, key=key)
    if not decision.allowed:
        raise RateLimited(retry_after=int(decision.retry_after_header))
