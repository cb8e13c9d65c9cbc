"""Who may read /metrics: only callers on allowed networks, never a request relayed by the gateway.

Every proxy on the way appends the address it saw to X-Forwarded-For, so a
public client's address is always somewhere in the chain (it can add fake
entries, never remove real ones): every hop, and the socket peer, must be in
EWTTO_METRICS_ALLOW (default loopback; in Docker add the scraper's network).
The gateway marks what it relays with X-Forwarded-Host, which is refused too.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

DEFAULT_ALLOW = "127.0.0.0/8,::1/128"


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def allowed_networks() -> tuple:
    spec = getattr(settings, "EWTTO_METRICS_ALLOW", None)
    if spec is None:
        from sis_common.conf import env

        spec = env("EWTTO_METRICS_ALLOW", default=DEFAULT_ALLOW)
    return _networks(spec)


def _inside(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def may_scrape(request) -> bool:
    if "HTTP_X_FORWARDED_HOST" in request.META:
        return False
    networks = allowed_networks()
    hops = [request.META.get("REMOTE_ADDR", "")]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops += [hop for hop in forwarded.split(",") if hop.strip()]
    return all(_inside(hop, networks) for hop in hops)
