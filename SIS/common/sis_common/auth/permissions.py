"""Role and branch-scope permissions read from the token, for every service's views."""
from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

ADMIN, MANAGER, CASHIER, WAREHOUSE, AUDITOR = "admin", "manager", "cashier", "warehouse", "auditor"
ROLES = (ADMIN, MANAGER, CASHIER, WAREHOUSE, AUDITOR)


def role_of(request) -> str:
    return getattr(request.user, "role", "")


class ReadAnyWriteRoles(BasePermission):
    """Any signed-in role reads; only `write_roles` (a view attribute) write. Auditors never write."""

    message = "Your role may not change this."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return role_of(request) in getattr(view, "write_roles", (ADMIN,))


class AdminOnly(BasePermission):
    message = "Only administrators may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and role_of(request) == ADMIN)


def require_branch(request, branch_id: int) -> None:
    """403 unless the caller's token covers `branch_id`."""
    user = request.user
    if not user.may_act_on(branch_id):
        raise PermissionDenied(detail=f"You may not act on branch {branch_id}.", code="branch_forbidden")


def visible_branches(request) -> frozenset[int] | None:
    """The branches the caller may see; None means all."""
    user = request.user
    return None if user.all_branches else user.branches
