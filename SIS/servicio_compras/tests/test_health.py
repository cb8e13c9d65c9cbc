"""/health of servicio_compras: a status for anyone, node details for operators only (the shared suite)."""
from sis_common.testing.suites.health import HealthSuite

from .resource import SUPPLIERS


class TestHealth(HealthSuite):
    resource = SUPPLIERS
