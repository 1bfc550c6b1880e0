"""Who is asking: the client's address (proxies trusted only as configured) and rate-limit key.

A client is its account when signed in, and otherwise its address range: IPv4 /32 by default
(``IMPASTO_RATE_LIMIT_IPV4_PREFIX`` groups wider), IPv6 /64, since one subscriber usually holds
a whole /64 and could otherwise take a fresh address per request.

``X-Forwarded-For`` is read only when ``TRUSTED_PROXY_COUNT`` says how many proxies of ours
stand in front; each appends the address it received from, so the client is the entry that many
places from the right. Anything left of it was written by the client and is ignored.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger("impasto.protection")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN_CLIENT = "ip:unknown"


def _parse(value: str | None) -> IPAddress | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> IPAddress | None:
    """The client's address: REMOTE_ADDR, or the trusted proxies' X-Forwarded-For entry."""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted > 0:
        forwarded = [
            entry.strip()
            for entry in request.headers.get("X-Forwarded-For", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= trusted:
            address = _parse(forwarded[-trusted])
            if address is not None:
                return address
        else:
            logger.warning(
                "X-Forwarded-For has %d entries but TRUSTED_PROXY_COUNT is %d; using REMOTE_ADDR",
                len(forwarded),
                trusted,
            )
    return _parse(request.META.get("REMOTE_ADDR"))


def address_range(address: IPAddress, *, ipv4_prefix: int | None = None) -> str:
    """The network an address is counted in, e.g. ``2001:db8:1:2::/64``.

    ``ipv4_prefix`` overrides ``RATE_LIMIT_IPV4_PREFIX`` for one bucket (the image variants
    count a whole /24 together)."""
    if isinstance(address, ipaddress.IPv4Address):
        prefix = (
            ipv4_prefix
            if ipv4_prefix is not None
            else int(getattr(settings, "RATE_LIMIT_IPV4_PREFIX", 32))
        )
    else:
        prefix = int(getattr(settings, "RATE_LIMIT_IPV6_PREFIX", 64))
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def client_key(request: HttpRequest, *, ipv4_prefix: int | None = None) -> str:
    """The rate-limit identity: ``user:<id>`` when signed in, else ``ip:<network>``."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return address_key(request, ipv4_prefix=ipv4_prefix)


def address_key(request: HttpRequest, *, ipv4_prefix: int | None = None) -> str:
    """``ip:<network>``: the client's address range, whoever is signed in."""
    address = client_ip(request)
    if address is None:
        return UNKNOWN_CLIENT
    return f"ip:{address_range(address, ipv4_prefix=ipv4_prefix)}"
