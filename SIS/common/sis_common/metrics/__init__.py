"""Prometheus metrics of every project: request, query and replay counters, and gauges probed at scrape time.

Projects get /metrics from `MetricsMiddleware` (in COMMON_MIDDLEWARE; the
gateway lists it itself). A project adds gauges of its own with
`register_gauge`, e.g. servicio_ventas for its pending sagas.

Nothing here imports prometheus_client on import of the package: the gunicorn
master imports `sis_common.metrics.gunicorn` to switch the library to its
multi-process mode first.
"""


def __getattr__(name: str):
    if name in ("register_gauge", "count_where"):
        from . import gauges

        return getattr(gauges, name)
    raise AttributeError(name)


__all__ = ["count_where", "register_gauge"]
