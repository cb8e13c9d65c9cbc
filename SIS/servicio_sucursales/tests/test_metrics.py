"""/metrics of servicio_sucursales: request, latency, query and replay series, the pair, access (shared suite)."""
from sis_common.testing.suites.metrics import MetricsSuite

from .resource import BRANCHES


class TestMetrics(MetricsSuite):
    resource = BRANCHES
