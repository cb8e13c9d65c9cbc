"""Which roles may read and write orders (branch scope is checked per order)."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from sis_common.auth.permissions import ADMIN, MANAGER, PURCHASER, WAREHOUSE, role_of

# who orders from suppliers (for their branches; the admin for every branch)
BUYERS = (ADMIN, PURCHASER, MANAGER)
# who receives the goods: the buyers and the warehouse
RECEIVERS = (ADMIN, PURCHASER, MANAGER, WAREHOUSE)


class OrderAccess(BasePermission):
    """Every signed-in role reads (its branches); the view's `write_roles[action]` write."""

    message = "Your role may not do this."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return role_of(request) in (RECEIVERS if view.action == "receive" else BUYERS)
