"""The address of the client behind a request, for per-address limits.

Without a reverse proxy that is REMOTE_ADDR. Behind one (nginx terminating HTTPS, as the README advises), REMOTE_ADDR
is the proxy's and every citizen would share one limit, so the proxies listed in DIMING_TRUSTED_PROXIES (addresses or
networks) are looked through: X-Forwarded-For is read from the right, past the trusted proxies, and the first address
no trusted proxy owns is the client's. Entries left of it were written by the client and are never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DIMING_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = trusted_networks(tuple(settings.DIMING_TRUSTED_PROXIES))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # garbage where a proxy should have written an address: fall back to what we know
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0])) if hops else remote


def client_ip(request) -> str | None:
    """``client_address`` when it is an IP address, else None (a request made up in code has no REMOTE_ADDR);
    django-axes records it (AXES_CLIENT_IP_CALLABLE) in an address column."""
    address = client_address(request)
    return address if _address(address) is not None else None
