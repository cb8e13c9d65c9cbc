"""Counting and timing every request by route pattern, and answering /metrics before anything else runs."""
from __future__ import annotations

import re
import time
from functools import lru_cache

from django.conf import settings

from . import dbqueries
from .exposition import metrics_view
from .series import HTTP_LATENCY, HTTP_REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"


@lru_cache(maxsize=512)
def readable(route: str) -> str:
    """'api/branches/^(?P<pk>[^/.]+)/$' (a DRF router's regex) as 'api/branches/<pk>/'."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return re.sub(r"(?<!\[)\^|\$", "", route)


class MetricsMiddleware:
    """First in the chain: its latency covers the whole request; /metrics itself is neither routed nor counted."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = "/" + getattr(settings, "EWTTO_METRICS_PATH", "metrics").strip("/")
        dbqueries.install()

    def __call__(self, request):
        if request.path_info == self.path:
            return metrics_view(request)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        # the pattern, never the path: ids and random 404s must not create series
        route = readable(match.route) if match is not None and match.route else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(route, method, str(response.status_code)).inc()
        HTTP_LATENCY.labels(route, method).observe(elapsed)
        return response
