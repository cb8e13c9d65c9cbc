"""Pooled keep-alive HTTP connections to each service's nginx, with bounded timeouts."""
from __future__ import annotations

from functools import lru_cache

import urllib3
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

POOL_SIZE = 32


@lru_cache(maxsize=None)
def pool(service: str) -> urllib3.HTTPConnectionPool:
    base = settings.EWTTO_UPSTREAMS[service]
    # block=False: a burst beyond POOL_SIZE opens extra connections instead of queueing the request
    return urllib3.connection_from_url(
        base, maxsize=POOL_SIZE, block=False, retries=False,
        timeout=urllib3.Timeout(connect=settings.EWTTO_UPSTREAM_CONNECT_TIMEOUT,
                                read=settings.EWTTO_UPSTREAM_READ_TIMEOUT),
    )


@receiver(setting_changed)
def _forget_pools(*, setting, **kwargs):
    # tests point upstreams and timeouts elsewhere; the cached pools must follow
    if setting.startswith("EWTTO_UPSTREAM"):
        pool.cache_clear()
