"""/metrics of servicio_compras: request, latency, query and replay series, the pair, access (shared suite)."""
from sis_common.testing.suites.metrics import MetricsSuite

from .resource import SUPPLIERS


class TestMetrics(MetricsSuite):
    resource = SUPPLIERS
