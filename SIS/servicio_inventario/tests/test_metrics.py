"""/metrics of servicio_inventario: request, latency, query and replay series, the pair, access (shared suite)."""
from sis_common.testing.suites.metrics import MetricsSuite

from .resource import PRODUCTS


class TestMetrics(MetricsSuite):
    resource = PRODUCTS
