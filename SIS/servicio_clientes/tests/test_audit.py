"""The audit trail of servicio_clientes: writes recorded with user and request ID, queried by role (shared suite)."""
from sis_common.testing.suites.audit import AuditSuite

from .resource import CUSTOMERS


class TestAudit(AuditSuite):
    resource = CUSTOMERS
