"""/health of servicio_clientes: a status for anyone, node details for operators only (shared suite)."""
from sis_common.testing.suites.health import HealthSuite

from .resource import CUSTOMERS


class TestHealth(HealthSuite):
    resource = CUSTOMERS
