"""/health of servicio_inventario: a status for anyone, node details for operators only (shared suite)."""
from sis_common.testing.suites.health import HealthSuite

from .resource import PRODUCTS


class TestHealth(HealthSuite):
    resource = PRODUCTS
