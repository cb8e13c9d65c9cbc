"""The audit trail of servicio_inventario: writes recorded with user and request ID, queried by role (shared suite)."""
from sis_common.testing.suites.audit import AuditSuite

from .resource import PRODUCTS


class TestAudit(AuditSuite):
    resource = PRODUCTS
