"""/health of servicio_sucursales: a status for anyone, node details for operators only (the shared suite)."""
from sis_common.testing.suites.health import HealthSuite

from .resource import BRANCHES


class TestHealth(HealthSuite):
    resource = BRANCHES
