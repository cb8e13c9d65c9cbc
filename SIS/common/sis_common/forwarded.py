"""The client's address: X-Forwarded-For believed only through our own hops.

The gateway's nginx replaces whatever chain a client sends with the address it saw
(docs/security.md), and each hop behind appends its peer, so walking the chain from
the right through EWTTO_TRUSTED_PROXIES (our hops' addresses) ends at the client.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN_ADDRESS = "0.0.0.0"
DEFAULT_TRUSTED_PROXIES = ("127.0.0.0/8", "::1/128")
MAX_HOPS = 32


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(nets: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(net, strict=False) for net in nets)


def trusted_networks() -> tuple:
    return _networks(tuple(getattr(settings, "EWTTO_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's address, walking X-Forwarded-For leftwards only through our own hops."""
    current = _ip(request.META.get("REMOTE_ADDR", ""))
    if current is None:
        return UNKNOWN_ADDRESS
    networks = trusted_networks()
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops[-MAX_HOPS:]):
        if not any(current in net for net in networks):
            break
        previous = _ip(hop)
        if previous is None:  # garbage: the hop that handed it to us is the last one we can name
            break
        current = previous
    return str(current)


def from_loopback(request) -> bool:
    """The client itself is on this machine (an operator's curl, bin/status), not a relayed outsider."""
    address = _ip(client_address(request))
    return address is not None and address.is_loopback
