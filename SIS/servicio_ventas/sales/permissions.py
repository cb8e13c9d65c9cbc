"""Which roles may read and which may write a sales endpoint (branch scope is checked per object)."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from sis_common.auth.permissions import ADMIN, AUDITOR, CASHIER, MANAGER, role_of

SELLERS = (ADMIN, MANAGER, CASHIER)
READERS = (ADMIN, AUDITOR, MANAGER, CASHIER)
REPORT_READERS = (ADMIN, AUDITOR, MANAGER)


class RoleAccess(BasePermission):
    """Reads need a role in the view's `read_roles`, writes one in its `write_roles`."""

    message = "Your role may not do this."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        roles = getattr(view, "read_roles", READERS) if request.method in SAFE_METHODS \
            else getattr(view, "write_roles", SELLERS)
        return role_of(request) in roles
