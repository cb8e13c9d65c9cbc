"""The audit trail of servicio_sucursales: writes recorded with user and request ID, queried by role (shared suite)."""
import pytest

from sis_common.testing.suites.audit import AuditSuite

from .resource import BRANCHES


class TestAudit(AuditSuite):
    resource = BRANCHES


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_audit_route_does_not_shadow_a_branch(client_for):
    # "audit" is no branch id: the branch routes keep answering as before
    assert client_for("admin").get("/api/branches/12345678/").status_code == 404
    assert client_for("admin").get("/api/branches/audit/").status_code == 200
