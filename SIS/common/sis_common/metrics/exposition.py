"""The /metrics answer: the shared counters plus gauges probed now, in Prometheus text format."""
from __future__ import annotations

import logging
import os

from django.http import HttpResponse, JsonResponse
from prometheus_client import REGISTRY, CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .access import may_scrape
from .database import collect_pair
from .gauges import collect_registered
from .watchdog_figures import collect_watchdog

log = logging.getLogger(__name__)


class _Scrape:
    """What one scrape reads; each probe's failure costs its own series only."""

    def collect(self):
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory and os.path.isdir(directory):
            yield from MultiProcessCollector(None, path=directory).collect()
        else:
            yield from REGISTRY.collect()
        for probe in (collect_pair, collect_watchdog, collect_registered):
            try:
                yield from list(probe())
            except Exception:  # a scrape answers even when a probe breaks
                log.warning("metrics probe %s failed", probe.__name__, exc_info=True)


def metrics_view(request) -> HttpResponse:
    if not may_scrape(request):
        return JsonResponse({"detail": "Metrics are only served to the monitoring network.",
                             "code": "metrics_forbidden"}, status=403)
    return HttpResponse(generate_latest(_Scrape()), content_type=CONTENT_TYPE_LATEST)
