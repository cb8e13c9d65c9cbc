"""The audit trail of servicio_compras: writes recorded with user and request ID, queried by role (shared suite)."""
from sis_common.testing.suites.audit import AuditSuite

from .resource import SUPPLIERS


class TestAudit(AuditSuite):
    resource = SUPPLIERS
