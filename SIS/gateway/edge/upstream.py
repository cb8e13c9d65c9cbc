"""Pooled keep-alive HTTP connections to each service's nginx, with bounded timeouts."""
from __future__ import annotations

from functools import lru_cache

import urllib3
from django.conf import settings


@lru_cache(maxsize=None)
def pool(service: str) -> urllib3.HTTPConnectionPool:
    base = settings.EWTTO_UPSTREAMS[service]
    return urllib3.connection_from_url(
        base, maxsize=16, block=False, retries=False,
        timeout=urllib3.Timeout(connect=settings.EWTTO_UPSTREAM_CONNECT_TIMEOUT,
                                read=settings.EWTTO_UPSTREAM_READ_TIMEOUT),
    )
