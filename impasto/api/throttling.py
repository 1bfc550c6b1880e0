"""THE RATE-LIMIT HOOK of the API. The limiter itself is not built here.

:func:`api_rate_limit` is called once for every API request, before the operation's own
authentication, with the caller already identified (``None`` when the request carried a bad
token, which will be answered 401 anyway). The shared token-bucket limiter plugs in here: key
the bucket on ``principal.token`` / ``principal.user`` when there is one and on the client
address otherwise, and raise :class:`impasto.api.errors.RateLimited` (with ``retry_after``
seconds) to answer 429 in the API's error format. Every operation already documents 429.
"""

from __future__ import annotations

from django.http import HttpRequest

from impasto.api.auth import Principal


def api_rate_limit(request: HttpRequest, *, principal: Principal | None) -> None:
    """Raise ``RateLimited`` to refuse ``request``; return to let it through."""
    return None
