"""Who reads the audit trail: admins and auditors."""
from rest_framework.permissions import BasePermission

from sis_common.auth.permissions import role_of

AUDIT_READERS = frozenset({"admin", "auditor"})


class AuditReader(BasePermission):
    message = "Only administrators and auditors may read the audit trail."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and role_of(request) in AUDIT_READERS)
