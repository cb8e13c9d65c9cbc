"""/health of servicio_ventas: a status for anyone, node details for operators only (shared suite)."""
from sis_common.testing.suites.health import HealthSuite
from sis_common.testing.suites.resource import Resource


class TestHealth(HealthSuite):
    resource = Resource(slug="ventas", api="sales")
