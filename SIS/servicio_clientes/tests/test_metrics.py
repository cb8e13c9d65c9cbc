"""/metrics of servicio_clientes: request, latency, query and replay series, the pair, access (shared suite)."""
from sis_common.testing.suites.metrics import MetricsSuite

from .resource import CUSTOMERS


class TestMetrics(MetricsSuite):
    resource = CUSTOMERS
